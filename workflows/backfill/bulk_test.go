package backfill_test

import (
	"reflect"
	"testing"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// TestMetafieldsBulkRead: above the bulk threshold the backfill reads
// Shopify's side by one bulk query, across continue-as-new, so that its
// reads cost next to nothing of the bucket (a paged dry run of 300
// products costs about 900 points); the dry run predicts exactly what the
// run writes, the run leaves nothing to do, and a rerun changes nothing.
func TestMetafieldsBulkRead(t *testing.T) {
	const products = 300
	f := newFixture(t, products)
	f.startWorker(t)
	// The bulk reads' ends come by webhook, as in production.
	if err := f.s.Shopify.Subscribe(f.s.Shop, "bulk_operations/finish", f.s.IngressURL); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(t)
	want := f.expected(before)

	pointsBefore := f.s.Shopify.Stats(f.s.Shop).PointsSpent
	dryID := workflows.BackfillWorkflowID("metafields", f.s.Shop, "bulk-dry")
	f.start(t, "bulk-dry", backfill.Params{DryRun: true, BatchSize: 40, BatchesPerRun: 3, BulkThreshold: 1})
	dry := f.wait(t, dryID)
	if dry.BulkOperation == "" || !dry.Finished || dry.Done != products {
		t.Fatalf("dry run %+v, want every product read by a bulk query", dry.State)
	}
	if points := f.s.Shopify.Stats(f.s.Shop).PointsSpent - pointsBefore; points > 50 {
		t.Fatalf("the bulk dry run spent %.0f points reading, want next to nothing", points)
	}
	if !reflect.DeepEqual(f.snapshot(t), before) {
		t.Fatal("the dry run changed Shopify")
	}
	if got := f.recorded(dryID, activities.OutcomeWouldChange); !reflect.DeepEqual(got, want) {
		t.Fatalf("dry run predicted %d changes, want %d", len(got), len(want))
	}

	runID := workflows.BackfillWorkflowID("metafields", f.s.Shop, "bulk-real")
	f.start(t, "bulk-real", backfill.Params{BatchSize: 40, BatchesPerRun: 3, BulkThreshold: 1})
	real := f.wait(t, runID)
	if real.BulkOperation == "" || real.BulkOperation == dry.BulkOperation {
		t.Fatalf("the run read by bulk operation %q, want one of its own", real.BulkOperation)
	}
	if got := f.recorded(runID, activities.OutcomeChanged); !reflect.DeepEqual(got, want) {
		t.Fatalf("the run recorded %d changes, the dry run predicted %d", len(got), len(want))
	}
	if real.Changed != dry.Changed || real.Skipped != dry.Skipped || real.Fields != dry.Fields {
		t.Fatalf("run counts %+v differ from the dry run's %+v", real.State, dry.State)
	}
	after := f.snapshot(t)
	if left := f.expected(after); len(left) != 0 {
		t.Fatalf("%d metafields still differ from the ERP after the run, e.g. %+v", len(left), left[0])
	}

	againID := workflows.BackfillWorkflowID("metafields", f.s.Shop, "bulk-again")
	f.start(t, "bulk-again", backfill.Params{BatchSize: 100, BulkThreshold: 1})
	again := f.wait(t, againID)
	// One run, from the bulk read's start to the end, for the replay test.
	f.recordHistory(t, againID, "backfill_metafields_bulk")
	if again.Changed != 0 || again.Fields != 0 || again.Skipped != products || again.BulkOperation == "" {
		t.Fatalf("a second run changed something: %+v", again.State)
	}
	if !reflect.DeepEqual(f.snapshot(t), after) {
		t.Fatal("the second run changed Shopify")
	}
}
