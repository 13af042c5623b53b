package shopifysim

import (
	"sync"
	"testing"
	"time"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

func TestSeedTenThousandProducts(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 10000, VariantsPerProduct: 3, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	r := e.gql(t, `{ productsCount { count } p: products(first: 1, reverse: true) { nodes { variants(first: 3) { nodes { sku } } } } }`, nil)
	mustNoErrors(t, r)
	if dig(r.Data, "productsCount", "count") != float64(10000) || dig(r.Data, "p", "nodes", 0, "variants", "nodes", 2, "sku") != "SKU-010000-3" {
		t.Errorf("got %s", r.Raw)
	}
}

const perfQuery = `query($after: String) {
  products(first: 50, after: $after, query: "updated_at:>=2020-01-01") {
    edges { cursor node { id title handle updatedAt variants(first: 3) { nodes { id sku price inventoryQuantity inventoryItem { id } } } } }
    pageInfo { hasNextPage endCursor }
  }
}`

// BenchmarkHTTPThroughput measures how many realistic paged catalog
// queries a second the simulator answers over real HTTP, with the bucket
// kept out of the way: it measures the executor, not Shopify's rate limit.
//
//	go test ./simulators/shopifysim -run '^$' -bench HTTPThroughput
func BenchmarkHTTPThroughput(b *testing.B) {
	e := newEnv(b, func(c *Config) { c.Shops[0].Plan = PlanPlus })
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 10000, VariantsPerProduct: 3, Locations: 2})
	b.ResetTimer()
	for range b.N {
		b.ReportMetric(measureThroughput(b, e), "requests/s")
	}
}

func BenchmarkSeedTenThousandProducts(b *testing.B) {
	sim := New(Config{Shops: []ShopConfig{{Domain: testShop, AccessToken: testToken, Plan: PlanPlus}}})
	defer sim.Close()
	for b.Loop() {
		sim.SeedCatalog(testShop, SeedOptions{Products: 10000, VariantsPerProduct: 3, Locations: 2})
	}
}

func measureThroughput(t testing.TB, e *testEnv) float64 {
	const workers, perWorker = 4, 75
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var after any
			for range perWorker {
				// Keep the bucket out of the way: this measures the
				// executor, not Shopify's rate limit.
				e.clock.advance(time.Second)
				r := e.gql(t, perfQuery, map[string]any{"after": after})
				if len(r.Errors) > 0 {
					t.Errorf("errors: %s", r.Raw)
					return
				}
				after = dig(r.Data, "products", "pageInfo", "endCursor")
			}
		}()
	}
	wg.Wait()
	return float64(workers*perWorker) / time.Since(start).Seconds()
}

func BenchmarkProductsPage(b *testing.B) {
	sim := New(Config{Shops: []ShopConfig{{Domain: testShop, AccessToken: testToken, Plan: PlanPlus}}})
	defer sim.Close()
	sim.SeedCatalog(testShop, SeedOptions{Products: 10000, VariantsPerProduct: 3, Locations: 2})
	sh, _ := sim.shop(testShop)
	req := gql.Request{Query: perfQuery}
	for b.Loop() {
		sh.bucket.refund(1e9, sim.clock())
		sim.execute(sh, testVersion, "http://sim", req)
	}
}
