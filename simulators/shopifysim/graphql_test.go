package shopifysim

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUnauthorized(t *testing.T) {
	e := newEnv(t, nil)
	for _, token := range []string{"", "wrong"} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/admin/api/2026-10/graphql.json", strings.NewReader(`{"query":"{shop{name}}"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("X-Shopify-Access-Token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %q: status %d", token, resp.StatusCode)
		}
		want := `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`
		if buf.String() != want {
			t.Errorf("body %s", buf.String())
		}
	}
}

func TestSchemaValidationRejectsBadQuery(t *testing.T) {
	e := newEnv(t, nil)
	r := e.gql(t, `{ products(first: 1) { nodes { id nope } } }`, nil)
	if r.Status != http.StatusOK || r.Data != nil || len(r.Errors) != 1 {
		t.Fatalf("got %s", r.Raw)
	}
	er := r.Errors[0]
	if er["message"] != "Field 'nope' doesn't exist on type 'Product'" {
		t.Errorf("message %v", er["message"])
	}
	if dig(er, "extensions", "code") != "undefinedField" || dig(er, "locations", 0, "line") == nil {
		t.Errorf("error shape %v", er)
	}
	r = e.gql(t, `{ product { id } }`, nil)
	if len(r.Errors) == 0 || dig(r.Errors[0], "extensions", "code") != "missingRequiredArguments" {
		t.Errorf("missing argument: %s", r.Raw)
	}
	r = e.gql(t, `{ products(first: 1) { nodes { id }`, nil)
	if len(r.Errors) == 0 || !strings.Contains(r.Errors[0]["message"].(string), "syntax error") {
		t.Errorf("syntax: %s", r.Raw)
	}
	r = e.gql(t, `{ products { nodes { id } } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0]["message"] != "you must provide one of first or last" {
		t.Errorf("no first/last: %s", r.Raw)
	}
}

func TestUnimplementedFieldIsAnError(t *testing.T) {
	e := newEnv(t, nil)
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 1})
	r := e.gql(t, `{ products(first: 1) { nodes { id category { id } } } }`, nil)
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0]["message"].(string), "'category'") ||
		dig(r.Errors[0], "extensions", "code") != "NOT_IMPLEMENTED" {
		t.Fatalf("got %s", r.Raw)
	}
	if dig(r.Data, "products", "nodes", 0, "id") == nil {
		t.Errorf("other fields should still resolve: %s", r.Raw)
	}
}

func TestProductsPagingFiltersAndFragments(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 30, VariantsPerProduct: 2, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	q := `query P($first: Int!, $after: String, $query: String) {
	  products(first: $first, after: $after, query: $query) {
	    edges { cursor node { ...F } }
	    pageInfo { hasNextPage endCursor }
	  }
	}
	fragment F on Product { id __typename t: title variants(first: 5) { nodes { sku inventoryItem { id } } } }`
	var seen int
	var after any
	for page := 0; ; page++ {
		r := e.gql(t, q, map[string]any{"first": 7, "after": after})
		mustNoErrors(t, r)
		edges := dig(r.Data, "products", "edges").([]any)
		seen += len(edges)
		if dig(edges[0], "node", "__typename") != "Product" || dig(edges[0], "node", "t") == nil {
			t.Fatalf("alias/typename: %v", edges[0])
		}
		if dig(r.Data, "products", "pageInfo", "hasNextPage") != true {
			break
		}
		after = dig(r.Data, "products", "pageInfo", "endCursor")
	}
	if seen != 30 {
		t.Errorf("paged %d products, want 30", seen)
	}
	r := e.gql(t, q, map[string]any{"first": 10, "query": "sku:SKU-000005-2"})
	mustNoErrors(t, r)
	if n := len(dig(r.Data, "products", "edges").([]any)); n != 1 {
		t.Errorf("sku filter: %d results", n)
	}
	cat, _ := e.sim.Catalog(testShop)
	cut := cat[19].UpdatedAt.Format("2006-01-02T15:04:05Z")
	r = e.gql(t, q, map[string]any{"first": 50, "query": "updated_at:>=" + cut})
	mustNoErrors(t, r)
	if n := len(dig(r.Data, "products", "edges").([]any)); n != 11 {
		t.Errorf("updated_at:>= filter: %d results, want 11", n)
	}
	r = e.gql(t, q, map[string]any{"first": 50, "query": "updated_at:>'" + cut + "'"})
	if n := len(dig(r.Data, "products", "edges").([]any)); n != 10 {
		t.Errorf("updated_at:> filter: %d results, want 10", n)
	}
}

func TestCostOfPagedProductsQuery(t *testing.T) {
	e := newEnv(t, nil)
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 3, VariantsPerProduct: 2, Locations: 1})
	q := `{ products(first: 10) { edges { node { id title variants(first: 5) { nodes { id sku } } } } pageInfo { hasNextPage } } }`
	r := e.gql(t, q, nil)
	mustNoErrors(t, r)
	// Requested: 2 + 10 × (1 product + (2 + 5 × 1 variant)) = 82.
	// Actual:    2 + 3 × (1 + (2 + 2 × 1)) = 17.
	c := r.Extensions.Cost
	if c.RequestedQueryCost != 82 || c.ActualQueryCost == nil || *c.ActualQueryCost != 17 {
		t.Errorf("cost requested %v actual %v, want 82 and 17", c.RequestedQueryCost, c.ActualQueryCost)
	}
	if c.ThrottleStatus.MaximumAvailable != 2000 || c.ThrottleStatus.RestoreRate != 100 || c.ThrottleStatus.CurrentlyAvailable != 2000-17 {
		t.Errorf("throttle status %+v", c.ThrottleStatus)
	}
	if got := e.sim.Stats(testShop).PointsSpent; got != 17 {
		t.Errorf("points spent %v", got)
	}
}

func TestThrottlingAndRestore(t *testing.T) {
	e := newEnv(t, nil)
	// 2 + 250 × (1 + (2 + 3 × 1)) = 1502... keep each under 1000:
	// 2 + 100 × (1 + (2 + 8)) = 1102 is too much; use 2 + 90 × 10 = 902.
	q := `{ products(first: 90) { nodes { id variants(first: 7) { nodes { id } } } } }`
	r := e.gql(t, q, nil)
	mustNoErrors(t, r)
	if r.Extensions.Cost.RequestedQueryCost != 902 {
		t.Fatalf("requested %v", r.Extensions.Cost.RequestedQueryCost)
	}
	// An empty shop: actual cost is 2, so the bucket stays nearly full.
	// Drain it with mutations-free expensive requests by pinning the
	// actual cost: seed enough products.
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 100, VariantsPerProduct: 7})
	r1 := e.gql(t, q, nil) // 2 + 90×(1+2+7) = 902 actual
	r2 := e.gql(t, q, nil)
	mustNoErrors(t, r1)
	mustNoErrors(t, r2)
	r3 := e.gql(t, q, nil)
	if r3.Status != http.StatusOK || r3.Data != nil || len(r3.Errors) != 1 ||
		r3.Errors[0]["message"] != "Throttled" || dig(r3.Errors[0], "extensions", "code") != "THROTTLED" ||
		dig(r3.Errors[0], "extensions", "documentation") != "https://shopify.dev/api/usage/rate-limits" {
		t.Fatalf("want throttled, got %s", r3.Raw)
	}
	avail := r3.Extensions.Cost.ThrottleStatus.CurrentlyAvailable
	if avail != 2000-2-902-902 {
		t.Errorf("available %v", avail)
	}
	if e.sim.Stats(testShop).Throttled != 1 {
		t.Errorf("throttled counter %d", e.sim.Stats(testShop).Throttled)
	}
	e.clock.advance(8 * time.Second) // +800 points
	r4 := e.gql(t, q, nil)
	mustNoErrors(t, r4)
	if got := r4.Extensions.Cost.ThrottleStatus.CurrentlyAvailable; got != avail+800-902 {
		t.Errorf("after restore available %v, want %v", got, avail+800-902)
	}
}

func TestMaxCostExceeded(t *testing.T) {
	e := newEnv(t, nil)
	r := e.gql(t, `{ products(first: 250) { nodes { id variants(first: 250) { nodes { id } } } } }`, nil)
	if len(r.Errors) != 1 || dig(r.Errors[0], "extensions", "code") != "MAX_COST_EXCEEDED" || r.Data != nil {
		t.Fatalf("got %s", r.Raw)
	}
	if !strings.HasPrefix(r.Errors[0]["message"].(string), "Query cost is 63252, which exceeds the single query max cost limit (1000).") {
		t.Errorf("message %q", r.Errors[0]["message"])
	}
	if strings.Contains(r.Raw, `"cost":{`) {
		t.Errorf("MAX_COST_EXCEEDED carries extensions.cost, which Shopify's does not: %s", r.Raw)
	}
	// The refused request is not charged: the next one finds a full bucket.
	if next := e.gql(t, `{ shop { id } }`, nil); next.Extensions.Cost.ThrottleStatus.CurrentlyAvailable < 1999 {
		t.Errorf("bucket was charged: %+v", next.Extensions.Cost)
	}
}
