package backfill_test

import (
	"context"
	"os/exec"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	starter "github.com/shopflow/shopflow/starter/backfill"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// TestWorkerKilledMidRun is Done-when 2: a real worker process (bin/worker,
// on the production backfill task queue) is killed with SIGKILL in the
// middle of a backfill and started again; the backfill completes with at
// most one batch redone and no effect applied twice.
func TestWorkerKilledMidRun(t *testing.T) {
	workerKilledMidRun(t, backfill.Params{BatchSize: 20, BatchesPerRun: 5})
}

// TestWorkerKilledMidBulkRun is the same with Shopify's side read by a
// bulk query: the batches go on from the bulk read after the restart, and
// the batch redone reads its products afresh, so writes nothing twice.
func TestWorkerKilledMidBulkRun(t *testing.T) {
	workerKilledMidRun(t, backfill.Params{BatchSize: 20, BatchesPerRun: 5, BulkThreshold: 1})
}

func workerKilledMidRun(t *testing.T, params backfill.Params) {
	bin := testenv.BuildWorker(t)

	f := newFixture(t, 300)
	f.queue = backfill.TaskQueue // bin/worker polls the production queue
	want := f.expected(f.snapshot(t))
	// Each Admin API call takes 100 ms, so that a batch is in flight most
	// of the time.
	if err := f.s.Shopify.SetFaults(f.s.Shop, shopifysim.Faults{Latency: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}

	procEnv, tc := testenv.ProcessEncryption(t)
	f.temporal = tc
	startWorker := func() *exec.Cmd { return f.s.StartWorkerProcess(t, bin, procEnv, "--queues", "backfill") }

	first := startWorker()
	mutationsBefore := f.s.Shopify.Stats(f.s.Shop).Mutations
	id := workflows.BackfillWorkflowID("metafields", f.s.Shop, "killed")
	f.start(t, "killed", params)
	ops := starter.Ops{Temporal: f.temporal, TaskQueue: f.queue}
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p, err := ops.Progress(ctx, id)
		if err == nil && p.Batch >= 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the backfill never got going: %+v, %v", p.State, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(150 * time.Millisecond) // into the next batch
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	t.Log("worker killed")
	startWorker()

	p := f.wait(t, id)
	if p.Redone > 1 {
		t.Fatalf("%d batches redone, want at most 1", p.Redone)
	}
	if got := f.recorded(id, activities.OutcomeChanged); !reflect.DeepEqual(got, want) {
		t.Fatalf("recorded %d changes, want %d", len(got), len(want))
	}
	if p.Done != 300 || p.Fields != len(want) || !p.Finished {
		t.Fatalf("progress %+v", p.State)
	}
	if left := f.expected(f.snapshot(t)); len(left) != 0 {
		t.Fatalf("%d metafields still differ", len(left))
	}
	calls := 0
	if params.BulkThreshold > 0 {
		calls++ // bulkOperationRunQuery
	}
	for _, rec := range f.s.ERP.BackfillRecords(id) {
		calls += (len(rec.Changes) + 24) / 25
	}
	if got := f.s.Shopify.Stats(f.s.Shop).Mutations - mutationsBefore; got != int64(calls) {
		t.Fatalf("%d mutations sent, want %d: something was written twice", got, calls)
	}
	t.Logf("batches redone: %d", p.Redone)
}
