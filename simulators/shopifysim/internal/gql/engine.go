package gql

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Engine validates and executes operations against one schema. It is safe
// for concurrent use.
type Engine struct {
	schema *ast.Schema
	docs   docCache
}

// New returns an engine for schema, whose query (and mutation) root types
// are the ones operations start from.
func New(schema *ast.Schema) *Engine {
	return &Engine{schema: schema, docs: docCache{docs: make(map[string]*ast.QueryDocument)}}
}

// docCache keeps parsed and validated documents by query text: clients
// send the same few operations over and over, and validation against a
// 3,500-type schema is the most expensive step of a request.
type docCache struct {
	mu   sync.Mutex
	docs map[string]*ast.QueryDocument
}

const docCacheSize = 1024

// Load parses and validates query against the schema, returning the
// errors Shopify would in its shape.
func (e *Engine) Load(query string) (*ast.QueryDocument, []Error) {
	c := &e.docs
	c.mu.Lock()
	doc, ok := c.docs[query]
	c.mu.Unlock()
	if ok {
		return doc, nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil {
		var ge *gqlerror.Error
		if errors.As(err, &ge) {
			se := fromGQLError(ge)
			se.Message = "syntax error: " + ge.Message
			se.Path = nil
			se.Extensions = map[string]any{"code": "PARSE_ERROR"}
			return nil, []Error{se}
		}
		return nil, []Error{{Message: err.Error()}}
	}
	if list := validator.ValidateWithRules(e.schema, doc, nil); len(list) > 0 {
		out := make([]Error, 0, len(list))
		seen := map[string]bool{}
		for _, ge := range list {
			// gqlparser checks a fragment once per spread: report each
			// problem once, as graphql-ruby does.
			if k := fmt.Sprint(ge.Message, ge.Locations); seen[k] {
				continue
			} else {
				seen[k] = true
			}
			e := fromGQLError(ge)
			if name, ok := e.Extensions["variableName"]; ok && len(doc.Operations) == 1 {
				op := doc.Operations[0]
				root := string(op.Operation)
				if op.Name != "" {
					root += " " + op.Name
				}
				e.Path = ast.Path{ast.PathName(root)}
				if e.Extensions["code"] == "variableNotUsed" {
					e.Message = fmt.Sprintf("Variable $%s is declared by %s but not used", name, orAnonymous(op.Name))
				} else {
					e.Message = fmt.Sprintf("Variable $%s is used by %s but not declared", name, orAnonymous(op.Name))
				}
			}
			if len(e.Path) == 0 && len(e.Locations) > 0 {
				e.Path = validationPath(doc, e.Locations[0])
				// graphql-ruby's path of an unknown argument ends with it.
				if arg, ok := e.Extensions["argumentName"].(string); ok && len(e.Path) > 0 {
					e.Path = append(e.Path, ast.PathName(arg))
				}
			}
			out = append(out, e)
		}
		return nil, out
	}
	c.mu.Lock()
	if len(c.docs) >= docCacheSize {
		clear(c.docs)
	}
	c.docs[query] = doc
	c.mu.Unlock()
	return doc, nil
}

func orAnonymous(name string) string {
	if name == "" {
		return "anonymous query"
	}
	return name
}

// Prepare loads req's query, picks the operation to run and coerces its
// variables: everything that refuses a request before its cost is known.
func (e *Engine) Prepare(req Request) (*Exec, []Error) {
	doc, errs := e.Load(req.Query)
	if len(errs) > 0 {
		return nil, errs
	}
	op, err := selectOperation(doc, req.OperationName)
	if err != nil {
		return nil, []Error{{Message: err.Error()}}
	}
	vars, verr := validator.VariableValues(e.schema, op, req.Variables)
	if verr != nil {
		return nil, []Error{variableError(op, req.Variables, verr)}
	}
	if err := checkIDVariables(op, vars); err != nil {
		return nil, []Error{*err}
	}
	return e.NewExec(doc, op, vars), nil
}

// NewExec returns an execution of op, an operation of the loaded doc, with
// coerced variables vars.
func (e *Engine) NewExec(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) *Exec {
	return &Exec{Doc: doc, Op: op, Vars: vars, engine: e}
}

func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, error) {
	if name == "" {
		if len(doc.Operations) != 1 {
			return nil, errors.New("An operation name is required")
		}
		return doc.Operations[0], nil
	}
	op := doc.Operations.ForName(name)
	if op == nil {
		return nil, fmt.Errorf("No operation named %q", name)
	}
	return op, nil
}

// variableError reports a variable that does not fit its type as Shopify
// (graphql-ruby) does: "Variable $x of type T was provided invalid value",
// at the variable's definition, with the value sent and the problems.
func variableError(op *ast.OperationDefinition, sent map[string]any, err error) Error {
	var ge *gqlerror.Error
	if !errors.As(err, &ge) {
		return Error{Message: err.Error(), Extensions: map[string]any{"code": "INVALID_VARIABLE"}}
	}
	// gqlparser's path is ["variable", name, ...the path inside the value].
	var name string
	var inner []any
	if len(ge.Path) >= 2 {
		if n, ok := ge.Path[1].(ast.PathName); ok {
			name = string(n)
		}
		for _, p := range ge.Path[2:] {
			switch p := p.(type) {
			case ast.PathName:
				inner = append(inner, string(p))
			case ast.PathIndex:
				inner = append(inner, int(p))
			}
		}
	}
	if inner == nil {
		inner = []any{}
	}
	explanation := ge.Message
	if explanation == "must be defined" {
		explanation = "Expected value to not be null"
	}
	return invalidVariable(op, name, sent[name], inner, explanation)
}

// invalidVariable is the INVALID_VARIABLE error for variable name of op.
func invalidVariable(op *ast.OperationDefinition, name string, value any, path []any, explanation string) Error {
	e := Error{Message: "Variable $" + name + " was provided invalid value",
		Extensions: map[string]any{"code": "INVALID_VARIABLE", "value": value,
			"problems": []any{map[string]any{"path": path, "explanation": explanation}}}}
	if def := op.VariableDefinitions.ForName(name); def != nil {
		e.Message = "Variable $" + name + " of type " + def.Type.String() + " was provided invalid value"
		e.Locations = locationsOf(def.Position)
	}
	return e
}

// checkIDVariables refuses a variable of type ID (or a list of IDs) whose
// value is not a Shopify global id, as Shopify does before running
// anything ("Invalid global id").
func checkIDVariables(op *ast.OperationDefinition, vars map[string]any) *Error {
	for _, def := range op.VariableDefinitions {
		if def.Type.Name() != "ID" {
			continue
		}
		var bad func(v any, path []any) ([]any, string, bool)
		bad = func(v any, path []any) ([]any, string, bool) {
			switch v := v.(type) {
			case string:
				if !ValidGID(v) {
					return path, v, true
				}
			case []any:
				for i, x := range v {
					if p, s, ok := bad(x, append(path[:len(path):len(path)], i)); ok {
						return p, s, true
					}
				}
			}
			return nil, "", false
		}
		if p, s, ok := bad(vars[def.Variable], []any{}); ok {
			e := invalidVariable(op, def.Variable, vars[def.Variable], p, "Invalid global id '"+s+"'")
			return &e
		}
	}
	return nil
}

// rootType is the type an operation's selection set is on.
func (e *Engine) rootType(op *ast.OperationDefinition) string {
	if op.Operation == ast.Mutation {
		return e.schema.Mutation.Name
	}
	return e.schema.Query.Name
}

// isMutationRoot reports whether typ is the mutation root, whose fields
// cost a flat MutationCost.
func (e *Engine) isMutationRoot(typ string) bool {
	return e.schema.Mutation != nil && typ == e.schema.Mutation.Name
}

// IsConnection reports whether typ is a Relay connection.
func (e *Engine) IsConnection(typ string) bool {
	if !strings.HasSuffix(typ, "Connection") {
		return false
	}
	def := e.schema.Types[typ]
	return def != nil && def.Fields.ForName("pageInfo") != nil
}

// isWrapperType reports whether objects of typ cost nothing themselves:
// connections, edges and page info are priced through the connection.
func (e *Engine) isWrapperType(typ string) bool {
	if typ == "PageInfo" || e.IsConnection(typ) {
		return true
	}
	if strings.HasSuffix(typ, "Edge") {
		def := e.schema.Types[typ]
		return def != nil && def.Fields.ForName("node") != nil && def.Fields.ForName("cursor") != nil
	}
	return false
}

// typeMatches reports whether an object of type typ satisfies a fragment's
// type condition.
func (e *Engine) typeMatches(cond, typ string) bool {
	if cond == "" || cond == typ {
		return true
	}
	def := e.schema.Types[cond]
	if def == nil || (def.Kind != ast.Interface && def.Kind != ast.Union) {
		return false
	}
	for _, p := range e.schema.GetPossibleTypes(def) {
		if p.Name == typ {
			return true
		}
	}
	return false
}
