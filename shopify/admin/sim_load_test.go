package admin_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

// TestSimSoakStandardPlan drives one Standard-plan shop (2000 points,
// 100/s) from 8 goroutines for 60 s (SHOPFLOW_SOAK overrides, e.g. "10s")
// with a mix of reads and writes, and checks that the simulator throttled
// nothing while the bucket was kept drained (budget used, not hoarded).
func TestSimSoakStandardPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("60 s soak")
	}
	dur := 60 * time.Second
	if s := os.Getenv("SHOPFLOW_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		dur = d
	}
	env := newSimEnv(t, shopifysim.PlanStandard, shopifysim.Config{})
	if err := env.sim.SeedCatalog(simShop, shopifysim.SeedOptions{Products: 2000, VariantsPerProduct: 2, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	cat, _ := env.sim.Catalog(simShop)
	c := env.client

	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var calls, failures atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			after := ""
			for i := 0; ctx.Err() == nil; i++ {
				var err error
				switch (w + i) % 4 {
				case 0, 1: // a page of the catalog, ~140 points requested
					var p *admin.ProductsPage
					p, err = admin.ProductsPageAt(ctx, c, admin.ProductsQuery{First: 10, VariantsFirst: 2, MetafieldsFirst: 5}, after)
					if err == nil {
						after = p.PageInfo.EndCursor
					}
				case 2: // 25 metafields, 10 points
					in := make([]admin.MetafieldsSetInput, 25)
					for j := range in {
						p := cat[(w*997+i*25+j)%len(cat)]
						in[j] = admin.MetafieldsSetInput{OwnerId: p.ID, Namespace: "shopflow", Key: "soak", Type: "number_integer", Value: fmt.Sprint(i)}
					}
					_, err = admin.SetMetafields(ctx, c, in)
				case 3: // inventory levels of 10 items
					ids := make([]string, 10)
					for j := range ids {
						ids[j] = cat[(w*31+i*10+j)%len(cat)].Variants[0].InventoryItemID
					}
					_, err = admin.InventoryLevelsOf(ctx, c, ids, 2)
				}
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					failures.Add(1)
					t.Errorf("worker %d: %v", w, err)
					return
				}
				calls.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()

	sim := env.sim.Stats(simShop)
	st := c.Stats()
	final, max, rate, _ := c.Available()
	sustained := (st.PointsSpent - (max - final)) / elapsed / rate
	t.Logf("%.0f s: %d calls, %d requests; simulator: %d throttled, %.0f points spent; client: %.0f points, %.1f points/s of %.0f (%.2f of the restore rate after the initial bucket), average currentlyAvailable %.0f of %.0f",
		elapsed, calls.Load(), st.Requests, sim.Throttled, sim.PointsSpent, st.PointsSpent, st.PointsSpent/elapsed, rate, sustained, st.AverageAvailable(), max)
	if sim.Throttled != 0 || st.Throttled != 0 {
		t.Errorf("throttled: simulator %d, client %d", sim.Throttled, st.Throttled)
	}
	if avg := st.AverageAvailable(); avg > 0.25*max {
		t.Errorf("average currentlyAvailable %.0f > 25%% of %.0f: budget hoarded", avg, max)
	}
	if sustained < 0.9 {
		t.Errorf("used %.2f of the restore rate, want ≥ 0.9", sustained)
	}
}

// BenchmarkSimCatalogSync reads a 10,000-product catalog and sets a
// metafield on every product against a Shopify Plus simulator (20,000
// points, 1000/s), reader and writers sharing the shop's limiter. Run with
//
//	go test -run '^$' -bench SimCatalogSync -benchtime 1x ./shopify/admin
//
// It reports spent-points/s ÷ restoreRate over the whole run (the initial
// full bucket lets this exceed 1), the same after taking out the points
// that were in the bucket at the start (how much of the refill was used),
// and throttled responses counted by the simulator.
func BenchmarkSimCatalogSync(b *testing.B) {
	env := newSimEnv(b, shopifysim.PlanPlus, shopifysim.Config{})
	const products = 10_000
	if err := env.sim.SeedCatalog(simShop, shopifysim.SeedOptions{Products: products, VariantsPerProduct: 2, Locations: 1}); err != nil {
		b.Fatal(err)
	}
	c := env.client
	ctx := context.Background()
	startAvail := 0.0
	b.ResetTimer()
	start := time.Now()
	for n := range b.N {
		if n == 0 {
			// The bucket is full before the first call.
			startAvail = 20_000
		}
		ids := make(chan string, 1000)
		var wg sync.WaitGroup
		var werr atomic.Value
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				batch := make([]admin.MetafieldsSetInput, 0, admin.MaxMetafieldsPerSet)
				flush := func() {
					if len(batch) == 0 {
						return
					}
					if _, err := admin.SetMetafields(ctx, c, batch); err != nil {
						werr.Store(err)
					}
					batch = batch[:0]
				}
				for id := range ids {
					batch = append(batch, admin.MetafieldsSetInput{OwnerId: id, Namespace: "shopflow", Key: "synced_at", Type: "single_line_text_field", Value: fmt.Sprint(n)})
					if len(batch) == admin.MaxMetafieldsPerSet {
						flush()
					}
				}
				flush()
			}()
		}
		read := 0
		err := admin.EachProductsPage(ctx, c, admin.ProductsQuery{VariantsFirst: 2, MetafieldsFirst: 5}, "", func(p *admin.ProductsPage) error {
			for _, n := range p.Nodes {
				ids <- n.Id
				read++
			}
			return nil
		})
		close(ids)
		wg.Wait()
		if err != nil {
			b.Fatal(err)
		}
		if e, _ := werr.Load().(error); e != nil {
			b.Fatal(e)
		}
		if read != products {
			b.Fatalf("read %d products", read)
		}
	}
	elapsed := time.Since(start).Seconds()
	b.StopTimer()

	st := c.Stats()
	sim := env.sim.Stats(simShop)
	final, max, rate, _ := c.Available()
	raw := st.PointsSpent / elapsed / rate
	sustained := (st.PointsSpent - (startAvail - final)) / elapsed / rate
	b.ReportMetric(raw, "spent/s÷restore")
	b.ReportMetric(sustained, "refill-used")
	b.ReportMetric(float64(sim.Throttled), "throttled")
	b.ReportMetric(elapsed, "s/run")
	b.Logf("%d run(s) in %.1f s: %d requests, %.0f points spent (simulator %.0f), restore rate %.0f/s measured from throttleStatus, bucket %.0f; "+
		"spent/s÷restore %.3f, after the initial bucket %.3f; throttled %d (client %d); average currentlyAvailable %.0f; waited %v in total",
		b.N, elapsed, st.Requests, st.PointsSpent, sim.PointsSpent, rate, max, raw, sustained, sim.Throttled, st.Throttled, st.AverageAvailable(), st.Waited)
}
