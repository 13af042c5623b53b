package reconcile_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// dieAt makes the worker it is installed in stop answering at the n-th
// execution of the named activity: the attempt hangs until the worker is
// gone, as on a killed process, and kill is closed to say so.
type dieAt struct {
	interceptor.WorkerInterceptorBase
	name  string
	n     int32
	calls atomic.Int32
	kill  chan struct{}
}

func (d *dieAt) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &dieAtInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, d: d}
}

type dieAtInbound struct {
	interceptor.ActivityInboundInterceptorBase
	d *dieAt
}

func (i *dieAtInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	if activity.GetInfo(ctx).ActivityType.Name == i.d.name && i.d.calls.Add(1) == i.d.n {
		close(i.d.kill)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return i.Next.ExecuteActivity(ctx, in)
}

// A worker that dies during a 20,000-item run, and a new one: the run
// resumes from its last page and ends with the report of an uninterrupted
// run, through continue-as-new, heartbeat timeouts and retries.
func TestReconcileInventoryResumesAfterTheWorkerDies(t *testing.T) {
	const items = 20_000
	s := testenv.NewStack(t, testenv.Options{})
	levels := seedInSyncQuiet(t, s, items, 1)
	drifts := []int{3, 1500, 4000, 7777, 9000, 12000, 15000, 15001, 18000, 19999, 250, 6000}
	seed := func() {
		for k, i := range drifts {
			s.ERP.SetStockLevel(levels[i].sku, levels[i].erpLocation, shopifyAvailable(t, s, levels[i])+1+k)
		}
		time.Sleep(grace)
	}
	in := reconcile.InventoryInput{Truth: activities.TruthShopify, GraceWindow: grace, BulkThreshold: 5000,
		BulkPollInterval: time.Second, HeartbeatTimeout: 2 * time.Second, DriftsPerPage: 3, PagesPerRun: 2}

	seed()
	tq := reconcileQueue(t, s)
	want := runInventory(t, s, tq, in)
	if want.Drifted != len(drifts) || want.Corrected != len(drifts) || want.Compared != items || want.Mode != "bulk" {
		t.Fatalf("uninterrupted run: %+v", want)
	}

	// The same drift again, on a queue whose first worker dies in the
	// middle of the second batch of corrections.
	seed()
	tq2 := s.TaskQueue + "-reconcile-restart"
	die := &dieAt{name: "CorrectInventory", n: 2, kill: make(chan struct{})}
	first := worker.New(s.Temporal, tq2, worker.Options{Interceptors: []interceptor.WorkerInterceptor{die}})
	wiring.Register(first, wiring.Reconcile, s.Deps(testenv.Options{}))
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-die.kill
		first.Stop()
		second := worker.New(s.Temporal, tq2, worker.Options{})
		wiring.Register(second, wiring.Reconcile, s.Deps(testenv.Options{}))
		if err := second.Start(); err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(second.Stop)
	}()
	got := runInventory(t, s, tq2, in)
	select {
	case <-die.kill:
	default:
		t.Fatal("the first worker never died")
	}
	if got.Compared != want.Compared || got.Drifted != want.Drifted || got.Corrected != want.Corrected ||
		got.Deferred != want.Deferred || got.Failed != want.Failed || got.RangesCompared != want.RangesCompared ||
		len(got.DriftByField) != len(want.DriftByField) || got.DriftByField[activities.DriftAvailable] != want.DriftByField[activities.DriftAvailable] {
		t.Fatalf("after the restart: %+v\nuninterrupted:       %+v", got, want)
	}
	for _, i := range drifts {
		if e, sh := erpAvailable(t, s, levels[i]), shopifyAvailable(t, s, levels[i]); e != sh {
			t.Errorf("%s: ERP %d, Shopify %d", levels[i].sku, e, sh)
		}
	}
}
