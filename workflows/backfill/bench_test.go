package backfill_test

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// benchProducts is the size of the motivating case: 10,000 products, each
// getting 3 metafields.
const benchProducts = 10_000

// BenchmarkBackfillMetafields backfills 10,000 products × 3 metafields on a
// Standard-plan shop (100 points a second, 2,000 at most) with one worker,
// and reports products_per_min, budget_use (points spent per second after
// the initial bucket, over the restore rate) and throttled.
func BenchmarkBackfillMetafields(b *testing.B) {
	for range b.N {
		s := benchStack(b)
		// As in production, the bulk read's end comes by webhook. (Not in
		// the three-process benchmark: its processes' test encryption keys
		// differ from the stack's webhook worker's, which signals.)
		if err := s.Shopify.Subscribe(s.Shop, "bulk_operations/finish", s.IngressURL); err != nil {
			b.Fatal(err)
		}
		queue := s.TaskQueue + "-backfill"
		w := worker.New(s.Temporal, queue, worker.Options{})
		wiring.Register(w, wiring.Backfill, s.Deps(testenv.Options{}))
		if err := w.Start(); err != nil {
			b.Fatal(err)
		}
		runBench(b, s, s.Temporal, queue)
		w.Stop()
	}
}

// BenchmarkBackfillMetafieldsThreeWorkers is the same run with its
// batches spread over 3 worker processes (bin/worker), each with its own
// model of the shop's bucket, handed from batch to batch; it also reports
// throttled_pct, throttled answers as a percentage of requests.
func BenchmarkBackfillMetafieldsThreeWorkers(b *testing.B) {
	bin := testenv.BuildWorker(b)
	for range b.N {
		s := benchStack(b)
		procEnv, tc := testenv.ProcessEncryption(b)
		var procs []*exec.Cmd
		for range 3 {
			procs = append(procs, s.StartWorkerProcess(b, bin, procEnv, "--queues", "backfill"))
		}
		runBench(b, s, tc, backfill.TaskQueue)
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}
}

// benchStack is a stack whose shop has the benchmark's catalog, no
// metafields yet, and full product master data in the ERP.
func benchStack(b *testing.B) *testenv.Stack {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	s := testenv.NewStack(b, testenv.Options{ShopifyPlan: shopifysim.PlanStandard})
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: benchProducts}); err != nil {
		b.Fatal(err)
	}
	catalog, err := s.Shopify.Catalog(s.Shop)
	if err != nil {
		b.Fatal(err)
	}
	for i, p := range catalog {
		var id int64
		fmt.Sscanf(p.ID, "gid://shopify/Product/%d", &id)
		if _, err := s.ERP.PutProductMaster(erpsim.ProductMaster{ShopifyProductID: id,
			Material: fmt.Sprintf("cotton-%d", i%7), CountryOfOrigin: "PT", HSCode: "6109.10"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Shopify.ResetStats(s.Shop); err != nil {
		b.Fatal(err)
	}
	return s
}

// runBench runs one real backfill of the catalog and reports its figures.
func runBench(b *testing.B, s *testenv.Stack, tc client.Client, queue string) {
	b.Helper()
	ctx := context.Background()
	id := workflows.BackfillWorkflowID("metafields", s.Shop, fmt.Sprintf("bench-%d", time.Now().UnixNano()))
	start := time.Now()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue},
		"BackfillMetafields", backfill.Input{Params: backfill.Params{Shop: s.Shop, BatchSize: backfill.MaxBatchSize,
			BulkPollInterval: 2 * time.Second}})
	if err != nil {
		b.Fatal(err)
	}
	var p backfill.Progress
	if err := run.Get(ctx, &p); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	if p.Changed != benchProducts || p.Fields != 3*benchProducts {
		b.Fatalf("the backfill changed %d products and %d fields, want %d and %d", p.Changed, p.Fields, benchProducts, 3*benchProducts)
	}
	st := s.Shopify.Stats(s.Shop)
	const initial, restore = 2000.0, 100.0 // Standard plan
	b.ReportMetric(float64(benchProducts)/elapsed.Minutes(), "products_per_min")
	b.ReportMetric((st.PointsSpent-initial)/elapsed.Seconds()/restore, "budget_use")
	b.ReportMetric(float64(st.Throttled), "throttled")
	if st.Requests > 0 {
		b.ReportMetric(100*float64(st.Throttled)/float64(st.Requests), "throttled_pct")
	}
	b.ReportMetric(float64(p.Redone), "batches_redone")
	b.ReportMetric(float64(batchWorkers(b, tc, id)), "worker_processes")
}

// batchWorkers counts the worker identities that ran the latest run's
// batches: how far the batches were spread.
func batchWorkers(b *testing.B, tc client.Client, id string) int {
	b.Helper()
	seen := map[string]bool{}
	iter := tc.GetWorkflowHistory(context.Background(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			b.Fatal(err)
		}
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil {
			seen[a.GetIdentity()] = true
		}
	}
	return len(seen)
}
