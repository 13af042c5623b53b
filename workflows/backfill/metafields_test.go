package backfill_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// TestMetafieldsDryRunThenRun is Done-when 1 at test size: the dry run
// changes nothing and predicts exactly what the real run then writes; the
// real run writes only what differs, in metafieldsSet calls of up to 25,
// each once; a second run changes nothing. Small runs per continue-as-new
// make it cross several runs of the workflow.
func TestMetafieldsDryRunThenRun(t *testing.T) {
	const products = 300
	f := newFixture(t, products)
	f.startWorker(t)
	before := f.snapshot(t)
	want := f.expected(before)
	if len(want) < products {
		t.Fatalf("the fixture should need many changes, has %d", len(want))
	}

	dryID := workflows.BackfillWorkflowID("metafields", f.s.Shop, "dry")
	f.start(t, "dry", backfill.Params{DryRun: true, BatchSize: 40, BatchesPerRun: 3})
	dry := f.wait(t, dryID)
	f.recordHistory(t, dryID, "backfill_metafields_dry_run")
	if !reflect.DeepEqual(f.snapshot(t), before) {
		t.Fatal("the dry run changed Shopify")
	}
	if got := f.recorded(dryID, activities.OutcomeWouldChange); !reflect.DeepEqual(got, want) {
		t.Fatalf("dry run predicted %d changes, want %d", len(got), len(want))
	}
	if dry.Done != products || dry.Total != products || dry.Fields != len(want) || !dry.Finished {
		t.Fatalf("dry run progress %+v, want %d products done of %d and %d fields", dry.State, products, products, len(want))
	}
	if dry.Changed+dry.Skipped+dry.Failed != products || dry.Failed != 0 || len(dry.Sample) == 0 {
		t.Fatalf("dry run counts %+v", dry.State)
	}

	mutationsBefore := f.s.Shopify.Stats(f.s.Shop).Mutations
	runID := workflows.BackfillWorkflowID("metafields", f.s.Shop, "real")
	f.start(t, "real", backfill.Params{BatchSize: 40, BatchesPerRun: 3})
	real := f.wait(t, runID)
	f.recordHistory(t, runID, "backfill_metafields_run")
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
	// Other namespaces are untouched.
	for gid, mfs := range before {
		for _, mf := range mfs {
			if mf.Namespace == "custom" && !containsMetafield(after[gid], mf) {
				t.Fatalf("the run touched %s's custom.%s", gid, mf.Key)
			}
		}
	}
	// One metafieldsSet per 25 changes of a batch: nothing sent twice.
	calls := 0
	for _, rec := range f.s.ERP.BackfillRecords(runID) {
		calls += (len(rec.Changes) + 24) / 25
	}
	if got := f.s.Shopify.Stats(f.s.Shop).Mutations - mutationsBefore; got != int64(calls) {
		t.Fatalf("the run sent %d mutations, want %d (25 metafields each)", got, calls)
	}

	// The run's metrics, as the agreed names carry them.
	labels := map[string]string{"shop": f.s.Shop, "kind": "metafields", "backfill": runID}
	for name, want := range map[string]float64{
		"shopflow_backfill_done_items": products, "shopflow_backfill_total_items": products, "shopflow_backfill_running": 0,
	} {
		if got, ok := f.metric(t, name, labels); !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
		}
	}
	if ts, ok := f.metric(t, "shopflow_backfill_last_progress_timestamp_seconds", labels); !ok || ts < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("last progress timestamp %v", ts)
	}
	// The dry run counts what it would change, the run what it changed.
	if got, _ := f.metric(t, "shopflow_backfill_items_total", map[string]string{"shop": f.s.Shop, "outcome": "changed"}); got != float64(dry.Changed+real.Changed) {
		t.Errorf("shopflow_backfill_items_total{outcome=changed} = %v, want %d", got, dry.Changed+real.Changed)
	}

	againID := workflows.BackfillWorkflowID("metafields", f.s.Shop, "again")
	f.start(t, "again", backfill.Params{BatchSize: 100})
	again := f.wait(t, againID)
	if again.Changed != 0 || again.Fields != 0 || again.Skipped != products {
		t.Fatalf("a second run changed something: %+v", again.State)
	}
	if got := f.s.Shopify.Stats(f.s.Shop).Mutations - mutationsBefore; got != int64(calls) {
		t.Fatalf("the second run sent %d mutations", got-int64(calls))
	}
	if !reflect.DeepEqual(f.snapshot(t), after) {
		t.Fatal("the second run changed Shopify")
	}
}

// TestRefusedMetafieldsFailAlone: metafields Shopify refuses (here an
// existing erp.hs_code of another type) fail for good, are in the report
// with Shopify's message, and neither stop the backfill nor keep the
// other metafields of their metafieldsSet call from being written.
func TestRefusedMetafieldsFailAlone(t *testing.T) {
	f := newFixture(t, 60)
	f.startWorker(t)
	var refused []string
	for _, gid := range f.products {
		if m, ok := f.masters[gid]; ok && m.HSCode != "" && len(refused) < 2 {
			if err := f.s.Shopify.SetProductMetafield(f.s.Shop, shopifysim.Metafield{OwnerID: gid, Namespace: "erp", Key: "hs_code", Type: "number_integer", Value: "610910"}); err != nil {
				t.Fatal(err)
			}
			refused = append(refused, gid)
		}
	}
	id := workflows.BackfillWorkflowID("metafields", f.s.Shop, "refused")
	f.start(t, "refused", backfill.Params{BatchSize: 60})
	p := f.wait(t, id)
	if p.Failed != 2 || p.Done != 60 || !p.Finished {
		t.Fatalf("progress %+v, want 2 failed of 60", p.State)
	}
	var failed []string
	for _, rec := range f.s.ERP.BackfillRecords(id) {
		for _, c := range rec.Changes {
			if c.Outcome == activities.OutcomeFailed {
				if c.Field != "erp.hs_code" || c.Error == "" {
					t.Fatalf("failed change %+v", c)
				}
				failed = append(failed, c.Item)
			}
		}
	}
	if !reflect.DeepEqual(failed, refused) {
		t.Fatalf("failed %v, want %v", failed, refused)
	}
	// Everything else was written, including the refused products' other
	// metafields.
	left := f.expected(f.snapshot(t))
	if len(left) != 2 {
		t.Fatalf("%d metafields still differ, want the 2 refused: %+v", len(left), left)
	}
}
