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
			se.Extensions = nil
			return nil, []Error{se}
		}
		return nil, []Error{{Message: err.Error()}}
	}
	if list := validator.Validate(e.schema, doc); len(list) > 0 {
		out := make([]Error, 0, len(list))
		for _, ge := range list {
			out = append(out, fromGQLError(ge))
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
		return nil, []Error{variableError(verr)}
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
// does.
func variableError(err error) Error {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		return Error{Message: ge.Message, Locations: ge.Locations,
			Extensions: map[string]any{"code": "INVALID_VARIABLE", "problems": []any{map[string]any{"path": ge.Path, "explanation": ge.Message}}}}
	}
	return Error{Message: err.Error(), Extensions: map[string]any{"code": "INVALID_VARIABLE"}}
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
