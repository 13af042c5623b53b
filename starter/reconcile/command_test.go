package reconcile_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/starter/reconcile"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
	wfreconcile "github.com/shopflow/shopflow/workflows/reconcile"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// starter runs "starter reconcile args..." against the test's dev server.
func starter(t *testing.T, args ...string) string {
	t.Helper()
	cmd := reconcile.Command()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append(args, "--temporal-address", testenv.FrontendAddress(t)))
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("starter reconcile %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// The schedule command creates the shop's schedule once and updates it
// after; run-now starts a run through it that corrects the drift; status
// and the serve gauges show it.
func TestScheduleRunNowAndStatus(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	tq := s.TaskQueue + "-reconcile"
	w := worker.New(s.Temporal, tq, worker.Options{})
	wiring.Register(w, wiring.Reconcile, s.Deps(testenv.Options{}))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)

	// A shop whose ERP misses one unit of one item.
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: 3}); err != nil {
		t.Fatal(err)
	}
	catalog, _ := s.Shopify.Catalog(s.Shop)
	locs, _ := s.Shopify.Locations(s.Shop)
	_, locID, _ := admin.ParseGID(locs[0].ID)
	for i, p := range catalog {
		q, err := s.Shopify.Quantities(s.Shop, p.Variants[0].InventoryItemID, locs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			q["available"]--
		}
		s.ERP.SetStockLevel(p.Variants[0].SKU, strconv.FormatInt(locID, 10), q["available"])
	}

	id := workflows.ReconcileScheduleID(wfreconcile.InventoryName, s.Shop)
	t.Cleanup(func() {
		for _, d := range wfreconcile.Reconcilers() {
			s.Temporal.ScheduleClient().GetHandle(context.Background(), workflows.ReconcileScheduleID(d.Name, s.Shop)).Delete(context.Background())
		}
	})
	args := []string{"schedule", "--shop", s.Shop, "--truth", "shopify", "--grace", "1ms", "--interval", "1h", "--task-queue", tq, "--order-sync-task-queue", s.TaskQueue}
	if out := starter(t, args...); !strings.Contains(out, "created schedule "+id) {
		t.Fatalf("first schedule: %s", out)
	}
	if out := starter(t, append(args, "--catchup-window", "2h")...); !strings.Contains(out, "updated schedule "+id) {
		t.Fatalf("second schedule: %s", out)
	}
	d, err := s.Temporal.ScheduleClient().GetHandle(context.Background(), id).Describe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.Schedule.Policy.Overlap != enumspb.SCHEDULE_OVERLAP_POLICY_SKIP || d.Schedule.Policy.CatchupWindow != 2*time.Hour ||
		d.Schedule.Spec.Intervals[0].Every != time.Hour {
		t.Fatalf("schedule policy %+v, spec %+v; want Skip, a 2h catch-up window, every hour", d.Schedule.Policy, d.Schedule.Spec)
	}

	starter(t, "run-now", "--shop", s.Shop, "--reconciler", "inventory")
	var runID string
	deadline := time.Now().Add(30 * time.Second)
	for runID == "" {
		st, err := reconcile.Statuses(context.Background(), s.Temporal, s.Shop)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range st {
			if x.ID == id && x.LastRunID != "" {
				runID = x.LastRunID
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("run-now started no run")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var rep wfreconcile.InventoryReport
	if err := s.Temporal.GetWorkflow(context.Background(), runID, "").Get(context.Background(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Drifted != 1 || rep.Corrected != 1 || rep.Truth != "shopify" {
		t.Fatalf("scheduled run's report %+v; want the one drift corrected", rep)
	}

	if out := starter(t, "status", "--shop", s.Shop); !strings.Contains(out, id) || !strings.Contains(out, "active") {
		t.Fatalf("status:\n%s", out)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(reconcile.NewCollector(s.Temporal, time.Millisecond, nil))
	if n, err := testutil.GatherAndCount(reg, "shopflow_schedule_last_action_timestamp_seconds", "shopflow_schedule_missed_catchup_total"); err != nil || n < 2 {
		t.Fatalf("schedule gauges: %d series, %v; want both for %s", n, err, id)
	}
}
