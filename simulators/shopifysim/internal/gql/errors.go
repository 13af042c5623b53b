package gql

import (
	"fmt"
	"regexp"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error is one entry of a GraphQL response's errors, in Shopify's shape.
type Error struct {
	Message    string              `json:"message"`
	Locations  []gqlerror.Location `json:"locations,omitempty"`
	Path       ast.Path            `json:"path,omitempty"`
	Extensions map[string]any      `json:"extensions,omitempty"`
}

// fieldError is a resolver failure reported in errors[] with a code.
type fieldError struct {
	msg  string
	code string
}

func (e *fieldError) Error() string { return e.msg }

// Errorf returns a resolver error that errors[] reports with
// extensions.code set to code; an empty code leaves extensions out.
func Errorf(code, format string, args ...any) error {
	return &fieldError{msg: fmt.Sprintf(format, args...), code: code}
}

func locationsOf(pos *ast.Position) []gqlerror.Location {
	if pos == nil {
		return nil
	}
	return []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
}

var (
	reUndefinedField = regexp.MustCompile(`^Cannot query field "([^"]+)" on type "([^"]+)"\.`)
	reUnknownArg     = regexp.MustCompile(`^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\.`)
	reMissingArg     = regexp.MustCompile(`^Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required`)
	reNoSelection    = regexp.MustCompile(`^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields`)
	reVariable       = regexp.MustCompile(`^Variable "\$([^"]+)"`)
	reLeafSelection  = regexp.MustCompile(`^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields`)
)

// ruleCodes maps gqlparser validation rules to the extension codes
// graphql-ruby (Shopify's GraphQL server) reports.
var ruleCodes = map[string]string{
	"FieldsOnCorrectType":          "undefinedField",
	"KnownArgumentNames":           "argumentNotAccepted",
	"ProvidedRequiredArguments":    "missingRequiredArguments",
	"ValuesOfCorrectType":          "argumentLiteralsIncompatible",
	"ScalarLeafs":                  "selectionMismatch",
	"KnownTypeNames":               "undefinedType",
	"NoUndefinedVariables":         "variableNotDefined",
	"NoUnusedVariables":            "variableNotUsed",
	"KnownFragmentNames":           "undefinedFragment",
	"NoUnusedFragments":            "useAndDefineFragment",
	"VariablesInAllowedPosition":   "variableMismatch",
	"KnownDirectives":              "undefinedDirective",
	"UniqueArgumentNames":          "argumentUniqueness",
	"OverlappingFieldsCanBeMerged": "fieldConflict",
	"PossibleFragmentSpreads":      "cannotSpreadFragment",
	"FragmentsOnCompositeTypes":    "fragmentOnNonCompositeType",
	"KnownRootType":                "missingQueryConfiguration",
}

// fromGQLError converts a gqlparser error into Shopify's error shape,
// rewording the common validation failures the way graphql-ruby does.
func fromGQLError(ge *gqlerror.Error) Error {
	e := Error{Message: ge.Message, Locations: ge.Locations, Path: ge.Path}
	code := ruleCodes[ge.Rule]
	if code == "" && ge.Rule != "" {
		code = ge.Rule
	}
	ext := map[string]any{}
	if code != "" {
		ext["code"] = code
	}
	switch {
	case (ge.Rule == "NoUnusedVariables" || ge.Rule == "NoUndefinedVariables") && reVariable.MatchString(ge.Message):
		ext["variableName"] = reVariable.FindStringSubmatch(ge.Message)[1]
	case ge.Rule == "FieldsOnCorrectType" && reUndefinedField.MatchString(ge.Message):
		m := reUndefinedField.FindStringSubmatch(ge.Message)
		e.Message = "Field '" + m[1] + "' doesn't exist on type '" + m[2] + "'"
		ext["typeName"], ext["fieldName"] = m[2], m[1]
	case ge.Rule == "KnownArgumentNames" && reUnknownArg.MatchString(ge.Message):
		m := reUnknownArg.FindStringSubmatch(ge.Message)
		e.Message = "Field '" + m[3] + "' doesn't accept argument '" + m[1] + "'"
		ext["name"], ext["typeName"], ext["argumentName"] = m[3], "Field", m[1]
	case ge.Rule == "ProvidedRequiredArguments" && reMissingArg.MatchString(ge.Message):
		m := reMissingArg.FindStringSubmatch(ge.Message)
		e.Message = "Field '" + m[1] + "' is missing required arguments: " + m[2]
		ext["className"], ext["name"], ext["arguments"] = "Field", m[1], m[2]
	case ge.Rule == "ScalarLeafs" && reNoSelection.MatchString(ge.Message):
		m := reNoSelection.FindStringSubmatch(ge.Message)
		e.Message = "Field '" + m[1] + "' returns " + m[2] + " but has no selections. Did you mean '" + m[1] + " { ... }'?"
		ext["nodeName"], ext["typeName"] = "field '"+m[1]+"'", m[2]
	case ge.Rule == "ScalarLeafs" && reLeafSelection.MatchString(ge.Message):
		m := reLeafSelection.FindStringSubmatch(ge.Message)
		e.Message = "Selections can't be made on scalars (field '" + m[1] + "' returns " + m[2] + ")"
		ext["nodeName"], ext["typeName"] = "field '"+m[1]+"'", m[2]
	}
	if len(ext) > 0 {
		e.Extensions = ext
	}
	return e
}

// validationPath is the path graphql-ruby gives a validation error at loc:
// the operation or fragment ("query Name", "mutation", "fragment F"), then
// the response keys of the fields down to the one at loc, then the
// argument's name when the error is on an argument. It is nil when no
// field or argument is at loc.
func validationPath(doc *ast.QueryDocument, loc gqlerror.Location) ast.Path {
	at := func(p *ast.Position) bool { return p != nil && p.Line == loc.Line && p.Column == loc.Column }
	var walk func(sel ast.SelectionSet, path ast.Path) ast.Path
	walk = func(sel ast.SelectionSet, path ast.Path) ast.Path {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				key := s.Alias
				if key == "" {
					key = s.Name
				}
				fpath := append(path[:len(path):len(path)], ast.PathName(key))
				if at(s.Position) {
					return fpath
				}
				for _, a := range s.Arguments {
					if at(a.Position) || a.Value != nil && at(a.Value.Position) {
						return append(fpath, ast.PathName(a.Name))
					}
				}
				if p := walk(s.SelectionSet, fpath); p != nil {
					return p
				}
			case *ast.InlineFragment:
				if p := walk(s.SelectionSet, path); p != nil {
					return p
				}
			}
		}
		return nil
	}
	for _, op := range doc.Operations {
		root := string(op.Operation)
		if op.Name != "" {
			root += " " + op.Name
		}
		if at(op.Position) {
			return ast.Path{ast.PathName(root)}
		}
		if p := walk(op.SelectionSet, ast.Path{ast.PathName(root)}); p != nil {
			return p
		}
	}
	for _, f := range doc.Fragments {
		if p := walk(f.SelectionSet, ast.Path{ast.PathName("fragment " + f.Name)}); p != nil {
			return p
		}
	}
	return nil
}
