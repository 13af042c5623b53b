package reconcile_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// BenchmarkReconcileInventory reconciles 100,000 variants at 2 locations
// of a Standard-plan shop (100 points/s) with 50 seeded drifts: by bulk
// query in full, and paged from a measured sample of pages, extrapolated
// to the whole catalog (paged cost is linear in pages; the whole would
// take over an hour of Standard's restore rate). It reports paged_points,
// bulk_points, paged_s, bulk_s, drift_seeded and drift_found.
func BenchmarkReconcileInventory(b *testing.B) {
	const products, locations, seeded, samplePages = 100_000, 2, 50, 10
	s := testenv.NewStack(b, testenv.Options{})
	tq := s.TaskQueue + "-reconcile"
	startReconcileWorker(b, s, tq)
	levels := seedInSyncQuiet(b, s, products, locations)
	for i := range seeded {
		l := levels[(i*7919)%len(levels)]
		s.ERP.SetStockLevel(l.sku, l.erpLocation, erpAvailable(b, s, l)+1+i%5)
	}
	time.Sleep(grace)

	clients := s.Deps(testenv.Options{}).Shopify
	c, err := clients.For(s.Shop)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		// Bulk, the whole run.
		before := c.Stats().PointsSpent
		start := time.Now()
		rep := runInventoryB(b, s, tq, reconcile.InventoryInput{Truth: activities.TruthShopify, GraceWindow: grace, BulkThreshold: 5000, DryRun: true})
		bulkSeconds := time.Since(start).Seconds()
		bulkPoints := c.Stats().PointsSpent - before
		if rep.Mode != "bulk" {
			b.Fatalf("mode %s, want bulk", rep.Mode)
		}

		// Paged: a sample of pages of the same query the paged read makes.
		before, start = c.Stats().PointsSpent, time.Now()
		after, items := "", 0
		for range samplePages {
			page, err := admin.InventorySnapshotPageAt(context.Background(), c, locations, after)
			if err != nil {
				b.Fatal(err)
			}
			items += len(page.Nodes)
			after = page.PageInfo.EndCursor
		}
		perItemPoints := (c.Stats().PointsSpent - before) / float64(items)
		perItemSeconds := time.Since(start).Seconds() / float64(items)
		b.ReportMetric(perItemPoints*products, "paged_points")
		b.ReportMetric(perItemSeconds*products, "paged_s")
		b.ReportMetric(bulkPoints, "bulk_points")
		b.ReportMetric(bulkSeconds, "bulk_s")
		b.ReportMetric(seeded, "drift_seeded")
		b.ReportMetric(float64(rep.Drifted), "drift_found")
		b.Logf("paged figures extrapolated from %d pages (%d items) to %d items; bulk measured over the whole run: %d compared, %d drifted, %d ranges compared, %d differing, %d ERP records exported; points ratio paged/bulk %.0f",
			samplePages, items, products, rep.Compared, rep.Drifted, rep.RangesCompared, rep.RangesDiffering, rep.ERPRecordsRead, perItemPoints*products/max(bulkPoints, 1))
		if rep.Drifted != seeded {
			b.Errorf("found %d drifts, seeded %d", rep.Drifted, seeded)
		}
	}
}

func runInventoryB(b *testing.B, s *testenv.Stack, tq string, in reconcile.InventoryInput) reconcile.InventoryReport {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	in.Shop = s.Shop
	run, err := s.Temporal.ExecuteWorkflow(ctx, startOptions(fmt.Sprintf("bench-%d", time.Now().UnixNano()), tq), reconcile.InventoryName, in)
	if err != nil {
		b.Fatal(err)
	}
	var rep reconcile.InventoryReport
	if err := run.Get(ctx, &rep); err != nil {
		b.Fatal(err)
	}
	return rep
}
