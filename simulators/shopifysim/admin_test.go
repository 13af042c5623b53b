package shopifysim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func adminCall(t *testing.T, e *testEnv, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestAdminAPI(t *testing.T) {
	e := newEnv(t, nil)
	base := "/sim/shops/" + testShop
	if code, out := adminCall(t, e, "POST", base+"/seed", `{"products":25,"variantsPerProduct":2,"locations":2}`); code != 200 {
		t.Fatalf("seed: %d %v", code, out)
	}
	_, cat := adminCall(t, e, "GET", base+"/products", "")
	products := cat["products"].([]any)
	if len(products) != 25 {
		t.Fatalf("%d products", len(products))
	}
	variant := dig(products[3], "variants", 1, "id").(string)
	item := dig(products[3], "variants", 1, "inventoryItemId").(string)
	_, locs := adminCall(t, e, "GET", base+"/locations", "")
	loc := dig(locs, "locations", 1, "id").(string)

	code, order := adminCall(t, e, "POST", base+"/orders", `{"lineItems":[{"variantId":"`+variant+`","quantity":2}]}`)
	if code != http.StatusCreated || order["name"] != "#1001" {
		t.Fatalf("order: %d %v", code, order)
	}
	if code, _ := adminCall(t, e, "POST", base+"/inventory", `{"inventoryItemId":"`+item+`","locationId":"`+loc+`","quantity":12}`); code != 200 {
		t.Fatalf("inventory: %d", code)
	}
	_, q := adminCall(t, e, "GET", base+"/inventory?inventoryItemId="+item+"&locationId="+loc, "")
	if dig(q, "quantities", "available") != float64(12) {
		t.Errorf("quantities %v", q)
	}
	// The order is visible through the Admin API.
	r := e.gql(t, `{ orders(first: 5, query: "updated_at:>=2020-01-01", sortKey: UPDATED_AT) { nodes { name lineItems(first: 5) { nodes { quantity variant { id } } } } } }`, nil)
	mustNoErrors(t, r)
	if dig(r.Data, "orders", "nodes", 0, "lineItems", "nodes", 0, "variant", "id") != variant {
		t.Errorf("orders: %s", r.Raw)
	}

	if code, _ := adminCall(t, e, "PUT", base+"/faults", `{"rateLimitRate":1,"retryAfter":"3s"}`); code != 200 {
		t.Fatalf("faults: %d", code)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/api/2026-10/graphql.json", strings.NewReader(`{"query":"{ shop { name } }"}`))
	req.Header.Set("X-Shopify-Access-Token", testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("injected 429: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	adminCall(t, e, "PUT", base+"/faults", `{"serverErrorRate":1}`)
	r = e.gql(t, `{ shop { name } }`, nil)
	if r.Status < 500 {
		t.Errorf("injected 5xx: %d", r.Status)
	}
	adminCall(t, e, "PUT", base+"/faults", `{"latency":"30ms"}`)
	start := time.Now()
	mustNoErrors(t, e.gql(t, `{ shop { name } }`, nil))
	if time.Since(start) < 30*time.Millisecond {
		t.Error("latency not injected")
	}

	_, st := adminCall(t, e, "GET", base+"/stats", "")
	if st["injectedRateLimits"] != float64(1) || st["injectedServerErrors"] != float64(1) || st["requests"].(float64) < 4 {
		t.Errorf("stats %v", st)
	}
	if code, _ := adminCall(t, e, "GET", "/sim/shops/nope.myshopify.com/stats", ""); code != http.StatusNotFound {
		t.Errorf("unknown shop: %d", code)
	}
}

func TestShopsAreIsolated(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Shops = append(c.Shops, ShopConfig{Domain: "other.myshopify.com", AccessToken: "other-token", Plan: PlanPlus})
	})
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 3})
	e.sim.SeedCatalog("other.myshopify.com", SeedOptions{Products: 5})
	q := `{ productsCount { count } shop { myshopifyDomain } }`
	r := e.gql(t, q, nil)
	if dig(r.Data, "productsCount", "count") != float64(3) {
		t.Errorf("dev shop: %s", r.Raw)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/api/2026-10/graphql.json", strings.NewReader(`{"query":"`+q+`"}`))
	req.Header.Set("X-Shopify-Access-Token", "other-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	json.NewDecoder(resp.Body).Decode(&out)
	if dig(out.Data, "productsCount", "count") != float64(5) || dig(out.Data, "shop", "myshopifyDomain") != "other.myshopify.com" {
		t.Errorf("other shop: %+v", out.Data)
	}
	if out.Extensions.Cost.ThrottleStatus.MaximumAvailable != 20000 || out.Extensions.Cost.ThrottleStatus.RestoreRate != 1000 {
		t.Errorf("plus plan bucket: %+v", out.Extensions.Cost.ThrottleStatus)
	}
}

// Each dimension is within its own cap but the product is 2e8 inventory
// levels, which the unauthenticated seed endpoint would build under the
// shop's write lock.
func TestSeedCapsInventoryLevels(t *testing.T) {
	e := newEnv(t, nil)
	base := "/sim/shops/" + testShop
	code, out := adminCall(t, e, "POST", base+"/seed", `{"products":1000000,"variantsPerProduct":10,"locations":20}`)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("seed: %d %v", code, out)
	}
	if msg := fmt.Sprint(out["error"]); !strings.Contains(msg, "200000000 inventory levels, more than 5000000") {
		t.Errorf("error %q", msg)
	}
	if cat, _ := e.sim.Catalog(testShop); len(cat) != 0 {
		t.Errorf("%d products created by a refused seed", len(cat))
	}
}
