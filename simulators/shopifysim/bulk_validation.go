package shopifysim

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// bulkQueryProblem checks a bulk query the way Shopify does before
// starting it, beyond the connection count and depth: it says what is
// wrong, or "" when the query may run. Shopify's rules:
//
//   - the top-level field is a connection, not node or nodes;
//   - a connection selects edges { node { … } } (its rows are the nodes);
//   - a node that holds a nested connection selects its id, which the
//     nested rows carry as __parentId;
//   - no connection sits inside a list field, whose elements have no
//     place in the JSONL.
func bulkQueryProblem(doc *ast.QueryDocument, op *ast.OperationDefinition) string {
	for _, f := range fieldsOf(doc, op.SelectionSet) {
		switch f.Name {
		case "node":
			return "The `node` field is not supported at the top level of a bulk query. Use a connection field instead."
		case "nodes":
			return "The `nodes` field is not supported at the top level of a bulk query. Use a connection field instead."
		}
	}
	return connectionProblem(doc, op.SelectionSet, false)
}

// connectionProblem walks sel; inList is set below a list field.
func connectionProblem(doc *ast.QueryDocument, sel ast.SelectionSet, inList bool) string {
	for _, f := range fieldsOf(doc, sel) {
		if f.Definition == nil {
			continue
		}
		if !adminEngine().IsConnection(f.Definition.Type.Name()) {
			if p := connectionProblem(doc, f.SelectionSet, inList || f.Definition.Type.Elem != nil); p != "" {
				return p
			}
			continue
		}
		if inList {
			return fmt.Sprintf("Nested connections inside a list field are not supported: `%s`.", f.Name)
		}
		var node *ast.Field
		for _, c := range fieldsOf(doc, f.SelectionSet) {
			if c.Name == "edges" {
				for _, n := range fieldsOf(doc, c.SelectionSet) {
					if n.Name == "node" {
						node = n
					}
				}
			}
		}
		if node == nil {
			return fmt.Sprintf("The connection `%s` must select `edges` and `node`: bulk queries don't support `nodes`.", f.Name)
		}
		hasID, nested := false, false
		for _, c := range fieldsOf(doc, node.SelectionSet) {
			if c.Name == "id" && (c.Alias == "" || c.Alias == "id") {
				hasID = true
			}
			if c.Definition != nil && hasConnection(doc, c) {
				nested = true
			}
		}
		if nested && !hasID {
			return fmt.Sprintf("The parent `node` of a nested connection must select `id`: `%s` is missing it.", f.Name)
		}
		if p := connectionProblem(doc, node.SelectionSet, false); p != "" {
			return p
		}
	}
	return ""
}

// hasConnection reports whether f is, or selects below it, a connection.
func hasConnection(doc *ast.QueryDocument, f *ast.Field) bool {
	if f.Definition != nil && adminEngine().IsConnection(f.Definition.Type.Name()) {
		return true
	}
	for _, c := range fieldsOf(doc, f.SelectionSet) {
		if hasConnection(doc, c) {
			return true
		}
	}
	return false
}

// fieldsOf lists the fields of sel with fragments flattened.
func fieldsOf(doc *ast.QueryDocument, sel ast.SelectionSet) []*ast.Field {
	var out []*ast.Field
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			out = append(out, s)
		case *ast.InlineFragment:
			out = append(out, fieldsOf(doc, s.SelectionSet)...)
		case *ast.FragmentSpread:
			if d := doc.Fragments.ForName(s.Name); d != nil {
				out = append(out, fieldsOf(doc, d.SelectionSet)...)
			}
		}
	}
	return out
}

// bulkOperationsFilters are the values bulkOperations(query:) accepts for
// its enumerated filters.
var bulkOperationsFilters = map[string][]string{
	"status":         {"canceled", "canceling", "completed", "created", "expired", "failed", "running"},
	"operation_type": {"query", "mutation"},
}

// checkBulkOperationsQuery refuses a bulkOperations filter Shopify does
// not accept: an unknown status or operation type.
func checkBulkOperationsQuery(q gql.SearchQuery) error {
	for _, and := range q {
		for _, t := range and {
			allowed, ok := bulkOperationsFilters[t.Field]
			if !ok {
				continue
			}
			v := strings.ToLower(t.Value)
			found := false
			for _, a := range allowed {
				found = found || a == v
			}
			if !found {
				return gql.Errorf("INVALID", "Invalid value for %s: '%s'. Valid values are: %s.", t.Field, t.Value, strings.Join(allowed, ", "))
			}
		}
	}
	return nil
}
