package reconcile_test

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// correctionLatency is how long each ERP stock write takes in the run the
// kill interrupts.
const correctionLatency = 400 * time.Millisecond

// A real worker process (bin/worker, polling a reconcile task queue of the
// test's own) is killed with SIGKILL during a 20,000-item run, in the
// middle of a batch of corrections after the run has continued as new, and
// started again: the interrupted batch is retried on the new process, and
// the run ends with the report of an uninterrupted run (through heartbeat
// timeouts, retries and continue-as-new), every drift corrected.
func TestReconcileInventoryResumesAfterTheWorkerDies(t *testing.T) {
	const items = 20_000
	bin := testenv.BuildWorker(t)
	s := testenv.NewStack(t, testenv.Options{})
	levels := seedInSyncQuiet(t, s, items, 1)
	drifts := []int{3, 1500, 4000, 7777, 9000, 12000, 15000, 15001, 18000, 19999, 250, 6000}
	seed := func() {
		for k, i := range drifts {
			s.ERP.SetStockLevel(levels[i].sku, levels[i].erpLocation, shopifyAvailable(t, s, levels[i])+1+k)
		}
		time.Sleep(grace)
	}
	in := reconcile.InventoryInput{Shop: s.Shop, Truth: activities.TruthShopify, GraceWindow: grace, BulkThreshold: 5000,
		BulkPollInterval: time.Second, HeartbeatTimeout: 2 * time.Second, DriftsPerPage: 3, PagesPerRun: 2}

	seed()
	want := runInventory(t, s, reconcileQueue(t, s), in)
	if want.Drifted != len(drifts) || want.Corrected != len(drifts) || want.Compared != items || want.Mode != "bulk" {
		t.Fatalf("uninterrupted run: %+v", want)
	}

	// The same drift again, reconciled by worker processes on the
	// production reconcile queue's name with the test's suffix.
	seed()
	suffix := "-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + time.Now().Format("150405.000000")
	tq := reconcile.TaskQueue + suffix
	procEnv, tc := testenv.ProcessEncryption(t)
	startWorker := func() *exec.Cmd {
		return s.StartWorkerProcess(t, bin, procEnv, "--queues", "reconcile", "--task-queue-suffix", suffix)
	}
	first := startWorker()

	// Each ERP write takes correctionLatency, so that the kill lands
	// between a correction's first write and its last.
	if err := s.ERP.SetFaults([]erpsim.Fault{{Method: "PUT", PathPrefix: "/v1/stock/", Kind: erpsim.FaultLatency, Latency: correctionLatency}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "reconcile-test/" + tq, TaskQueue: tq}, reconcile.InventoryName, in)
	if err != nil {
		t.Fatal(err)
	}
	killedRun, killed := killDuringCorrection(t, ctx, tc, run, first.Process)
	first.Wait()
	startWorker()

	var got reconcile.InventoryReport
	if err := run.Get(ctx, &got); err != nil {
		t.Fatalf("reconciliation after the restart failed: %v", err)
	}
	if !sameReport(got, want) {
		t.Fatalf("after the restart: %+v\nuninterrupted:       %+v", got, want)
	}
	n := attempts(t, ctx, tc, run.GetID(), killedRun, killed)
	if n < 2 {
		t.Fatalf("the correction the kill interrupted ended at attempt %d: it was not interrupted", n)
	}
	t.Logf("the interrupted correction ended at attempt %d", n)
	for _, i := range drifts {
		if e, sh := erpAvailable(t, s, levels[i]), shopifyAvailable(t, s, levels[i]); e != sh {
			t.Errorf("%s: ERP %d, Shopify %d", levels[i].sku, e, sh)
		}
	}
}

// killDuringCorrection waits until run has continued as new and one of
// its CorrectInventory activities is running on proc, lets its first ERP
// write get under way, and kills proc with SIGKILL; it returns the run and
// the activity it interrupted.
func killDuringCorrection(t *testing.T, ctx context.Context, c client.Client, run client.WorkflowRun, proc *os.Process) (runID, activityID string) {
	t.Helper()
	for {
		desc, err := c.DescribeWorkflow(ctx, run.GetID(), "")
		if err != nil {
			t.Fatal(err)
		}
		d := desc.RawResponse
		info := d.GetWorkflowExecutionInfo()
		if info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			t.Fatalf("the run ended (%v) before the worker could be killed during a correction", info.GetStatus())
		}
		if info.GetExecution().GetRunId() != run.GetRunID() {
			for _, a := range d.GetPendingActivities() {
				if a.GetState() == enumspb.PENDING_ACTIVITY_STATE_STARTED && a.GetActivityType().GetName() == "CorrectInventory" {
					time.Sleep(correctionLatency / 4)
					if err := proc.Signal(syscall.SIGKILL); err != nil {
						t.Fatal(err)
					}
					return info.GetExecution().GetRunId(), a.GetActivityId()
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// attempts is the attempt at which the activity of a run ended.
func attempts(t *testing.T, ctx context.Context, c client.Client, workflowID, runID, activityID string) int32 {
	t.Helper()
	var scheduled int64
	it := c.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := e.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityId() == activityID {
			scheduled = e.GetEventId()
		}
		if a := e.GetActivityTaskStartedEventAttributes(); a != nil && scheduled != 0 && a.GetScheduledEventId() == scheduled {
			return a.GetAttempt()
		}
	}
	t.Fatalf("activity %s of run %s never started", activityID, runID)
	return 0
}

// sameReport says whether two reports agree in everything but their
// clocks.
func sameReport(a, b reconcile.InventoryReport) bool {
	a.Started, a.Finished, b.Started, b.Finished = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}
