package admin

import (
	"fmt"
	"testing"
)

func TestEstimateCostOfGeneratedOperations(t *testing.T) {
	vars := map[string]any{"first": 10.0, "variantsFirst": 5.0, "metafieldsFirst": 3.0}
	// Per product: 1 + variants (2 + 5 × (variant + inventory item) + pageInfo)
	// + metafields (2 + 3 + pageInfo) = 1 + 13 + 6 = 20; the page: 2 + 10 × 20 + 1.
	if got := estimateCost(Products_Operation, "Products", vars); got != 203 {
		t.Errorf("Products estimate = %v, want 203", got)
	}
	if got := estimateCost(MetafieldsSet_Operation, "MetafieldsSet", nil); got < mutationCost {
		t.Errorf("MetafieldsSet estimate = %v, want ≥ %d", got, mutationCost)
	}
	big := map[string]any{"first": 250.0, "variantsFirst": 100.0, "metafieldsFirst": 50.0}
	if got := estimateCost(Products_Operation, "Products", big); got != MaxQueryCost {
		t.Errorf("capped estimate = %v", got)
	}
	if got := estimateCost("not graphql", "X", nil); got != MaxQueryCost {
		t.Errorf("unparsable = %v", got)
	}
}

func TestCostKeyDependsOnSizes(t *testing.T) {
	a := costKey("Products", map[string]any{"first": 10.0, "after": "x", "names": []any{"a", "b"}})
	b := costKey("Products", map[string]any{"first": 10.0, "after": "y", "names": []any{"c", "d"}})
	c := costKey("Products", map[string]any{"first": 20.0})
	if a != b || a == c {
		t.Errorf("keys %q %q %q", a, b, c)
	}
}

func TestPageSizesStayUnderMaxCost(t *testing.T) {
	q := ProductsQuery{}.withDefaults()
	vars := map[string]any{"first": float64(q.First), "variantsFirst": float64(q.VariantsFirst), "metafieldsFirst": float64(q.MetafieldsFirst)}
	if got := estimateCost(Products_Operation, "Products", vars); got >= MaxQueryCost {
		t.Errorf("default products page (first %d) estimated at %v", q.First, got)
	}
	o := OrdersQuery{}.withDefaults()
	ovars := map[string]any{"first": float64(o.First), "lineItemsFirst": float64(o.LineItemsFirst)}
	if got := estimateCost(OrdersUpdatedSince_Operation, "OrdersUpdatedSince", ovars); got >= MaxQueryCost {
		t.Errorf("default orders page (first %d) estimated at %v", o.First, got)
	}
}

func TestParsedDocsAreBounded(t *testing.T) {
	for i := range docCacheSize + 10 {
		q := fmt.Sprintf("query Q%d { shop { id } }", i)
		if parseDoc(q) == nil {
			t.Fatalf("%q did not parse", q)
		}
	}
	if n := parsedDocs.len(); n > docCacheSize {
		t.Errorf("cache holds %d documents, want ≤ %d", n, docCacheSize)
	}
	if parseDoc("query {") != nil {
		t.Error("invalid document parsed")
	}
}
