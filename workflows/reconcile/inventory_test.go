package reconcile_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// grace is the tests' grace window: short, so that a test can wait it out.
const grace = 2 * time.Second

// The motivating case, both directions of truth: webhooks keep the ERP in
// step, one is dropped, the ERP shows 10 where Shopify shows 8; one run
// finds exactly that drift and corrects it, a second finds none.
func TestReconcileInventoryCorrectsALostWebhook(t *testing.T) {
	for _, tc := range []struct {
		truth activities.Truth
		want  int // the quantity both sides end with
	}{
		{activities.TruthShopify, 8},
		{activities.TruthERP, 10},
	} {
		t.Run(string(tc.truth), func(t *testing.T) {
			s := testenv.NewStack(t, testenv.Options{})
			tq := reconcileQueue(t, s)
			levels := seedInSync(t, s, 5, 2)
			drifted := levels[3]

			setShopifyStock(t, s, drifted, 10, false)
			eventually(t, "the webhook to set the ERP to 10", func() bool { return erpAvailable(t, s, drifted) == 10 })
			setShopifyStock(t, s, drifted, 8, true)
			if e, sh := erpAvailable(t, s, drifted), shopifyAvailable(t, s, drifted); e != 10 || sh != 8 {
				t.Fatalf("after the lost webhook the ERP shows %d and Shopify %d, want 10 and 8", e, sh)
			}
			time.Sleep(grace) // let the change age past the grace window

			in := reconcile.InventoryInput{Truth: tc.truth, GraceWindow: grace}
			rep := runInventory(t, s, tq, in)
			if rep.Compared != len(levels) || rep.Drifted != 1 || rep.DriftByField[activities.DriftAvailable] != 1 ||
				rep.Corrected != 1 || rep.Failed != 0 || rep.Deferred != 0 || !rep.Done {
				t.Fatalf("first run: %+v; want %d compared, exactly 1 available drift, corrected", rep, len(levels))
			}
			if e, sh := erpAvailable(t, s, drifted), shopifyAvailable(t, s, drifted); e != tc.want || sh != tc.want {
				t.Fatalf("after the run the ERP shows %d and Shopify %d, want both %d", e, sh, tc.want)
			}
			labels := map[string]string{"shop": s.Shop, "reconciler": reconcile.InventoryName}
			if got := metricValue(t, s, "shopflow_reconcile_drift_found_total", map[string]string{"shop": s.Shop, "field": "available"}); got != 1 {
				t.Errorf("drift found metric %v, want 1", got)
			}
			if got := metricValue(t, s, "shopflow_reconcile_corrections_total", map[string]string{"shop": s.Shop, "outcome": "applied"}); got != 1 {
				t.Errorf("applied corrections metric %v, want 1", got)
			}
			if got := metricValue(t, s, "shopflow_reconcile_last_success_timestamp_seconds", labels); got < float64(time.Now().Add(-time.Minute).Unix()) {
				t.Errorf("last success metric %v, want about now", got)
			}
			recordLastRun(t, s, "reconcile_inventory_corrected_"+string(tc.truth))
			// The report query answers what the result says.
			q, err := s.Temporal.QueryWorkflow(context.Background(), lastRunID, "", reconcile.ReportQuery)
			if err != nil {
				t.Fatal(err)
			}
			var queried reconcile.InventoryReport
			if err := q.Get(&queried); err != nil || queried.Drifted != rep.Drifted || queried.Corrected != rep.Corrected || !queried.Done {
				t.Fatalf("report query: %+v, %v; want the result's figures", queried, err)
			}
			// A correction of Shopify sends its own webhook; wait for it.
			eventually(t, "the ERP to settle", func() bool { return erpAvailable(t, s, drifted) == tc.want })

			rep = runInventory(t, s, tq, in)
			if rep.Drifted != 0 || rep.Corrected != 0 || rep.Compared != len(levels) {
				t.Fatalf("second run: %+v; want no drift", rep)
			}
			if got := metricValue(t, s, "shopflow_reconcile_drift_items", labels); got != 0 {
				t.Errorf("drift items gauge %v after a clean run, want 0", got)
			}
			if got := metricValue(t, s, "shopflow_reconcile_run_duration_seconds", map[string]string{"reconciler": reconcile.InventoryName}); got < 2 {
				t.Errorf("run duration observed %v times, want 2 at least", got)
			}
		})
	}
}

// Drift within the tolerance is not drift; drift changed within the grace
// window is deferred; a dry run corrects nothing.
func TestReconcileInventoryToleranceGraceAndDryRun(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	tq := reconcileQueue(t, s)
	levels := seedInSync(t, s, 4, 1)
	s.ERP.SetStockLevel(levels[0].sku, levels[0].erpLocation, shopifyAvailable(t, s, levels[0])+1)
	s.ERP.SetStockLevel(levels[1].sku, levels[1].erpLocation, shopifyAvailable(t, s, levels[1])+5)

	// Changed just now: deferred with the default grace window.
	rep := runInventory(t, s, tq, reconcile.InventoryInput{Truth: activities.TruthERP, Tolerance: activities.Tolerance{Absolute: 1}})
	if rep.Drifted != 1 || rep.WithinTolerance != 1 || rep.Deferred != 1 || rep.Corrected != 0 {
		t.Fatalf("default grace: %+v; want 1 within tolerance, 1 drift deferred", rep)
	}
	time.Sleep(grace)
	before := shopifyAvailable(t, s, levels[1])
	rep = runInventory(t, s, tq, reconcile.InventoryInput{Truth: activities.TruthERP, Tolerance: activities.Tolerance{Absolute: 1}, GraceWindow: grace, DryRun: true})
	if rep.Drifted != 1 || rep.WouldCorrect != 1 || rep.Corrected != 0 || !rep.DryRun {
		t.Fatalf("dry run: %+v; want 1 correction it would make", rep)
	}
	recordLastRun(t, s, "reconcile_inventory_dry_run")
	if after := shopifyAvailable(t, s, levels[1]); after != before {
		t.Fatalf("the dry run changed Shopify from %d to %d", before, after)
	}
}

// Above the bulk threshold Shopify is read by a bulk query, its end
// learned from the bulk_operations/finish webhook (or by polling), and
// the comparison finds the same drift.
func TestReconcileInventoryByBulkQuery(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	tq := reconcileQueue(t, s)
	levels := seedInSync(t, s, 30, 2)
	if err := s.Shopify.Subscribe(s.Shop, "bulk_operations/finish", s.IngressURL); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 17, 59} {
		s.ERP.SetStockLevel(levels[i].sku, levels[i].erpLocation, erpAvailable(t, s, levels[i])+3)
	}
	time.Sleep(grace)
	rep := runInventory(t, s, tq, reconcile.InventoryInput{Truth: activities.TruthShopify, GraceWindow: grace, BulkThreshold: 10, BulkPollInterval: 2 * time.Second})
	recordLastRun(t, s, "reconcile_inventory_bulk")
	if rep.Mode != "bulk" || rep.Compared != len(levels) || rep.Drifted != 3 || rep.Corrected != 3 {
		t.Fatalf("report %+v; want a bulk read of %d levels with 3 drifts corrected", rep, len(levels))
	}
	for _, i := range []int{0, 17, 59} {
		if e, sh := erpAvailable(t, s, levels[i]), shopifyAvailable(t, s, levels[i]); e != sh {
			t.Errorf("%s at %s: ERP %d, Shopify %d after the run", levels[i].sku, levels[i].erpLocation, e, sh)
		}
	}
}
