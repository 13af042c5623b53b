package backfill_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	starter "github.com/shopflow/shopflow/starter/backfill"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// TestRollbackRestoresExactly is Done-when 3: rollback restores every
// field the backfill changed to its value before (full snapshots compared),
// removes the metafields the backfill created, and leaves alone, and
// reports, a field edited after the backfill wrote it. Run again, it
// changes nothing.
func TestRollbackRestoresExactly(t *testing.T) {
	f := newFixture(t, 200)
	f.startWorker(t)
	ctx := context.Background()
	before := f.snapshot(t)

	id := workflows.BackfillWorkflowID("metafields", f.s.Shop, "to-roll-back")
	f.start(t, "to-roll-back", backfill.Params{BatchSize: 30, BatchesPerRun: 4})
	if p := f.wait(t, id); p.Changed == 0 {
		t.Fatal("the backfill changed nothing")
	}

	// Someone edits, after the backfill, a metafield it created and one it
	// changed.
	var created, changed field
	for _, c := range f.recorded(id, activities.OutcomeChanged) {
		had := false
		for _, m := range before[c.item] {
			had = had || "erp."+m.Key == c.field && m.Namespace == "erp"
		}
		switch {
		case !had && created.item == "":
			created = c
		case had && changed.item == "":
			changed = c
		}
	}
	if created.item == "" || changed.item == "" {
		t.Fatal("the fixture lacks a created and a changed metafield")
	}
	for _, c := range []field{created, changed} {
		f.setMetafield(t, c.item, "erp", strings.TrimPrefix(c.field, "erp."), "edited by hand")
	}

	ops := starter.Ops{Temporal: f.temporal, Store: nil, TaskQueue: f.queue}
	rid, err := ops.Rollback(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var res backfill.RollbackProgress
	if err := f.temporal.GetWorkflow(ctx, rid, "").Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	f.recordHistory(t, rid, "backfill_rollback")

	after := f.snapshot(t)
	// Exactly the snapshot from before, but for the two hand edits.
	want := map[string][]shopifysim.Metafield{}
	for gid, mfs := range before {
		want[gid] = append(want[gid], mfs...)
	}
	for _, c := range []field{created, changed} {
		key := strings.TrimPrefix(c.field, "erp.")
		list := want[c.item][:0:0]
		for _, m := range want[c.item] {
			if !(m.Namespace == "erp" && m.Key == key) {
				list = append(list, m)
			}
		}
		want[c.item] = append(list, shopifysim.Metafield{OwnerID: c.item, Namespace: "erp", Key: key, Type: "single_line_text_field", Value: "edited by hand"})
	}
	if diff := compareSnapshots(want, after); diff != "" {
		t.Fatalf("after rollback: %s", diff)
	}
	if res.LeftAlone != 2 || res.Failed != 0 || res.Restored != len(f.recorded(id, activities.OutcomeChanged))-2 {
		t.Fatalf("rollback counts %+v", res.RollbackState)
	}
	left := f.recorded(rid, activities.OutcomeLeftAlone)
	if len(left) != 2 || len(res.LeftAloneSample) != 2 {
		t.Fatalf("the rollback reported %v left alone", left)
	}

	// Again: everything is as before already, nothing is sent.
	mutations := f.s.Shopify.Stats(f.s.Shop).Mutations
	again, err := f.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: rid + "-again", TaskQueue: f.queue},
		backfill.RollbackWorkflow, backfill.RollbackInput{Backfill: id, Kind: "metafields", Shop: f.s.Shop})
	if err != nil {
		t.Fatal(err)
	}
	var res2 backfill.RollbackProgress
	if err := again.Get(ctx, &res2); err != nil {
		t.Fatal(err)
	}
	if got := f.s.Shopify.Stats(f.s.Shop).Mutations; got != mutations {
		t.Fatalf("a second rollback sent %d mutations", got-mutations)
	}
	if res2.LeftAlone != 2 || res2.Restored != res.Restored {
		t.Fatalf("a second rollback counted %+v, the first %+v", res2.RollbackState, res.RollbackState)
	}
	if diff := compareSnapshots(after, f.snapshot(t)); diff != "" {
		t.Fatalf("a second rollback changed Shopify: %s", diff)
	}
}

// compareSnapshots describes the first difference between two metafield
// snapshots, ignoring update times; "" if none.
func compareSnapshots(want, got map[string][]shopifysim.Metafield) string {
	norm := func(m map[string][]shopifysim.Metafield) map[string]map[string]string {
		out := map[string]map[string]string{}
		for gid, list := range m {
			for _, mf := range list {
				if out[gid] == nil {
					out[gid] = map[string]string{}
				}
				out[gid][mf.Namespace+"."+mf.Key] = mf.Type + "=" + mf.Value
			}
		}
		return out
	}
	w, g := norm(want), norm(got)
	if reflect.DeepEqual(w, g) {
		return ""
	}
	for gid := range w {
		if !reflect.DeepEqual(w[gid], g[gid]) {
			return gid + ": want " + stringify(w[gid]) + ", got " + stringify(g[gid])
		}
	}
	for gid := range g {
		if _, ok := w[gid]; !ok {
			return gid + ": unexpected " + stringify(g[gid])
		}
	}
	return "differ"
}

func stringify(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+":"+v)
	}
	return strings.Join(parts, ", ")
}
