package reconcile_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// reconcileQueue starts a reconcile worker for the stack on a task queue
// of the test's own and returns the queue.
func reconcileQueue(t *testing.T, s *testenv.Stack, interceptors ...interceptor.WorkerInterceptor) string {
	t.Helper()
	tq := s.TaskQueue + "-reconcile"
	startReconcileWorker(t, s, tq, interceptors...)
	return tq
}

func startReconcileWorker(t testing.TB, s *testenv.Stack, tq string, interceptors ...interceptor.WorkerInterceptor) {
	t.Helper()
	w := worker.New(s.Temporal, tq, worker.Options{Interceptors: interceptors})
	wiring.Register(w, wiring.Reconcile, s.Deps(testenv.Options{}))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
}

func startOptions(id, tq string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{ID: "reconcile-test/" + id, TaskQueue: tq}
}

// level is one seeded Shopify inventory level and its ERP names.
type level struct {
	itemID, locationID string // GIDs
	sku, erpLocation   string
}

// seedInSync seeds the stack's shop with products at locations, mirrors
// every level's available quantity into the ERP, and subscribes the ERP's
// real-time path: inventory_levels/update to the ingress.
func seedInSync(t *testing.T, s *testenv.Stack, products, locations int) []level {
	t.Helper()
	levels := seedInSyncQuiet(t, s, products, locations)
	if err := s.Shopify.Subscribe(s.Shop, "inventory_levels/update", s.IngressURL); err != nil {
		t.Fatal(err)
	}
	return levels
}

// seedInSyncQuiet is seedInSync without the real-time path.
func seedInSyncQuiet(t testing.TB, s *testenv.Stack, products, locations int) []level {
	t.Helper()
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: products, Locations: locations}); err != nil {
		t.Fatal(err)
	}
	catalog, err := s.Shopify.Catalog(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := s.Shopify.Locations(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	var out []level
	for _, p := range catalog {
		for _, v := range p.Variants {
			for _, l := range locs {
				_, n, _ := admin.ParseGID(l.ID)
				lv := level{itemID: v.InventoryItemID, locationID: l.ID, sku: v.SKU, erpLocation: strconv.FormatInt(n, 10)}
				s.ERP.SetStockLevel(lv.sku, lv.erpLocation, shopifyAvailable(t, s, lv))
				out = append(out, lv)
			}
		}
	}
	return out
}

func shopifyAvailable(t testing.TB, s *testenv.Stack, l level) int {
	t.Helper()
	q, err := s.Shopify.Quantities(s.Shop, l.itemID, l.locationID)
	if err != nil {
		t.Fatal(err)
	}
	return q["available"]
}

func erpAvailable(t testing.TB, s *testenv.Stack, l level) int {
	t.Helper()
	rec, _ := s.ERP.StockRecordOf(l.sku, l.erpLocation)
	return rec.Available
}

// setShopifyStock changes a level in Shopify as a merchant would, which
// sends inventory_levels/update; with drop, that webhook is lost.
func setShopifyStock(t *testing.T, s *testenv.Stack, l level, available int, drop bool) {
	t.Helper()
	if drop {
		if err := s.Shopify.SetFaults(s.Shop, shopifysim.Faults{WebhookDropRate: 1}); err != nil {
			t.Fatal(err)
		}
		defer s.Shopify.SetFaults(s.Shop, shopifysim.Faults{})
	}
	if err := s.Shopify.SetStock(s.Shop, l.itemID, l.locationID, "available", available); err != nil {
		t.Fatal(err)
	}
}

// eventually waits up to 30 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runInventory runs one inventory reconciliation to its end.
func runInventory(t *testing.T, s *testenv.Stack, tq string, in reconcile.InventoryInput) reconcile.InventoryReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	in.Shop = s.Shop
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: "reconcile-test/" + strings.ReplaceAll(t.Name(), "/", "-") + "/" + time.Now().Format("150405.000000"), TaskQueue: tq,
	}, reconcile.InventoryName, in)
	if err != nil {
		t.Fatal(err)
	}
	var rep reconcile.InventoryReport
	if err := run.Get(ctx, &rep); err != nil {
		t.Fatalf("reconciliation failed: %v", err)
	}
	lastRunID = run.GetID()
	return rep
}

// lastRunID is the workflow ID of the last run, for recording.
var lastRunID string

// Run `go test ./workflows/reconcile -run . -record-histories` after a
// deliberate, versioned change to a reconciler to refresh its recorded
// histories, which workflows.TestReplayRecordedHistories replays.
var recordHistories = flag.Bool("record-histories", false, "write the histories of the reconcilers' runs to ../testdata/histories")

// recordLastRun saves the last run's history for the replay test, when
// -record-histories is set.
func recordLastRun(t *testing.T, s *testenv.Stack, name string) {
	t.Helper()
	if *recordHistories {
		testenv.RecordHistory(t, s.Temporal, lastRunID, filepath.Join("..", "testdata", "histories"), name)
	}
}

// metricValue is the value of the stack's metric with the given labels
// (a subset of its labels), 0 if absent.
func metricValue(t *testing.T, s *testenv.Stack, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := s.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metrics
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return 0
}
