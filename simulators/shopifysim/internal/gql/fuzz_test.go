package gql

import (
	"encoding/json"
	"math"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/shopify/schema"
)

// The fuzzers feed hostile GraphQL to the engine: nothing may panic, a
// refused request must render as JSON with a message, and a cost must be
// a finite, non-negative number that does not depend on the document cache.
// Their committed seed corpora (testdata/fuzz) hold shopflow's own Admin API
// operations (shopify/admin/operations) and Shopify search queries.

// shopifyEngine is an engine over the Admin API schema, as the simulator
// serves it.
var shopifyEngine = sync.OnceValue(func() *Engine {
	return New(gqlparser.MustLoadSchema(&ast.Source{Name: "admin-2026-10.graphql", Input: schema.SDL}))
})

// fuzzVariables decodes fuzzed variables as the simulator's ReadRequest
// does; anything but a JSON object is no variables.
func fuzzVariables(raw []byte) map[string]any {
	var vars map[string]any
	if json.Unmarshal(raw, &vars) != nil {
		return nil
	}
	return vars
}

func checkRefusal(t *testing.T, errs []Error) {
	t.Helper()
	for _, e := range errs {
		if e.Message == "" {
			t.Fatalf("an error without a message: %+v", e)
		}
	}
	if body := RenderRefused(errs, &Cost{}); !json.Valid(body) {
		t.Fatalf("refusal is not JSON: %s", body)
	}
}

func checkCost(t *testing.T, what string, c float64) {
	t.Helper()
	if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
		t.Fatalf("%s cost %v", what, c)
	}
}

// FuzzShopifyQueryCost parses, validates and prices operations against the
// Admin API schema: the steps that decide whether the simulator refuses a
// request and what it charges before running it.
func FuzzShopifyQueryCost(f *testing.F) {
	f.Add(`{ shop { name } }`, "", []byte(`{}`))
	f.Fuzz(func(t *testing.T, query, operationName string, variables []byte) {
		e := shopifyEngine()
		req := Request{Query: query, OperationName: operationName, Variables: fuzzVariables(variables)}
		x, errs := e.Prepare(req)
		if len(errs) > 0 {
			checkRefusal(t, errs)
			return
		}
		requested, errs := x.RequestedCost()
		checkRefusal(t, errs)
		checkCost(t, "requested", requested)
		// Again, from the document cache: the same price.
		x2, errs := e.Prepare(req)
		if len(errs) > 0 {
			t.Fatalf("accepted once, refused from the cache: %+v", errs)
		}
		if again, _ := x2.RequestedCost(); again != requested {
			t.Fatalf("requested cost %v, then %v", requested, again)
		}
	})
}

// FuzzExecute runs operations end to end on the engine's test schema and
// model (engine_test.go): the rendered response is JSON, and the actual cost
// is finite and never above the requested cost.
func FuzzExecute(f *testing.F) {
	f.Add(`{ things(first: 2) { nodes { id name parts(first: 1) { nodes { id } } } } }`, []byte(`{}`))
	f.Fuzz(func(t *testing.T, query string, variables []byte) {
		x, errs := testEngine().Prepare(Request{Query: query, Variables: fuzzVariables(variables)})
		if len(errs) > 0 {
			checkRefusal(t, errs)
			return
		}
		requested, errs := x.RequestedCost()
		if len(errs) > 0 {
			checkRefusal(t, errs)
			return
		}
		checkCost(t, "requested", requested)
		m := newModel()
		m.x = x
		data, actual := x.Execute(m)
		checkCost(t, "actual", actual)
		if actual > requested {
			t.Fatalf("actual cost %v above requested %v", actual, requested)
		}
		if body := Render(data, x.Errors, &Cost{RequestedQueryCost: requested, ActualQueryCost: &actual}); !json.Valid(body) {
			t.Fatalf("response is not JSON: %s", body)
		}
	})
}

// FuzzParseSearch parses Shopify search queries ("query:" arguments): no
// input panics, and a parse is deterministic and has no empty conjunction.
func FuzzParseSearch(f *testing.F) {
	f.Add(`updated_at:>2026-01-01T00:00:00Z AND -status:archived OR title:"a b"`)
	f.Fuzz(func(t *testing.T, q string) {
		got := ParseSearch(q)
		for i, and := range got {
			if len(and) == 0 {
				t.Fatalf("%q: conjunction %d is empty", q, i)
			}
		}
		again := ParseSearch(q)
		if len(again) != len(got) {
			t.Fatalf("%q parsed into %d, then %d disjuncts", q, len(got), len(again))
		}
	})
}
