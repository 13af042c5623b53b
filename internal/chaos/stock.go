package chaos

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// Every order commits stock in Shopify, which sends inventory_levels/update
// for the level it took from: these webhooks go through the same duplicates,
// reordering, ERP faults and kills as the orders. Shopify stamps a change
// with whole seconds and keeps no order among webhooks, so two changes of
// one second can reach the ERP in either order and leave it one change
// behind; the inventory reconciliation is what closes that gap. The run
// therefore requires that, after the webhooks, one reconciliation finds
// exactly the drift there is and leaves none.

// initialStock is every level's available quantity at the start: more than
// the orders can take, so that available never goes negative (the ERP keeps
// no negative stock, which would be drift of another kind).
const initialStock = 1_000_000

// stockLevel is one inventory level the run follows.
type stockLevel struct {
	sku      string
	item     string // inventory item GID
	location string // location GID
	erpLoc   string // the ERP location: the numeric Shopify location ID
}

// seedStock gives every level of the catalog initialStock, in Shopify and
// in the ERP alike (before any subscription: no webhook goes out), and
// returns the levels.
func seedStock(shopify *shopifysim.Simulator, erpSim *erpsim.Server) ([]stockLevel, error) {
	products, err := shopify.Catalog(shop)
	if err != nil {
		return nil, err
	}
	locations, err := shopify.Locations(shop)
	if err != nil {
		return nil, err
	}
	var levels []stockLevel
	for _, p := range products {
		for _, v := range p.Variants {
			for _, loc := range locations {
				if _, err := shopify.Quantities(shop, v.InventoryItemID, loc.ID); err != nil {
					continue // not stocked there
				}
				_, n, err := admin.ParseGID(loc.ID)
				if err != nil {
					return nil, err
				}
				l := stockLevel{sku: v.SKU, item: v.InventoryItemID, location: loc.ID, erpLoc: strconv.FormatInt(n, 10)}
				if err := shopify.SetStock(shop, l.item, l.location, "available", initialStock); err != nil {
					return nil, err
				}
				erpSim.SetStockLevel(l.sku, l.erpLoc, initialStock)
				levels = append(levels, l)
			}
		}
	}
	if len(levels) == 0 {
		return nil, fmt.Errorf("the catalog has no inventory levels")
	}
	return levels, nil
}

// stockDrift lists the levels whose ERP stock is not Shopify's available
// quantity.
func stockDrift(shopify *shopifysim.Simulator, erpSim *erpsim.Server, levels []stockLevel) ([]string, error) {
	var drift []string
	for _, l := range levels {
		q, err := shopify.Quantities(shop, l.item, l.location)
		if err != nil {
			return nil, err
		}
		rec, _ := erpSim.StockRecordOf(l.sku, l.erpLoc)
		if rec.Available != q["available"] {
			drift = append(drift, fmt.Sprintf("%s at %s: ERP %d, Shopify %d", l.sku, l.erpLoc, rec.Available, q["available"]))
		}
	}
	return drift, nil
}

// reconcileStock runs one inventory reconciliation with Shopify as the
// truth, every difference counted and nothing deferred, on the worker's
// reconcile queue.
func reconcileStock(ctx context.Context, tc client.Client) (reconcile.InventoryReport, error) {
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: fmt.Sprintf("chaos-reconcile-inventory-%d", time.Now().UnixNano()), TaskQueue: reconcile.TaskQueue,
	}, reconcile.InventoryName, reconcile.InventoryInput{
		Shop: shop, Truth: activities.TruthShopify,
		// The run has settled: nothing is on its way, so nothing waits.
		GraceWindow: time.Nanosecond,
	})
	if err != nil {
		return reconcile.InventoryReport{}, err
	}
	var rep reconcile.InventoryReport
	if err := run.Get(ctx, &rep); err != nil {
		return rep, fmt.Errorf("inventory reconciliation: %w", err)
	}
	return rep, nil
}

// stockWrites counts the ERP's answers to stock writes: applied, and
// refused as older than the version it holds.
func stockWrites(st erpsim.Stats) (applied, stale int64) {
	byStatus := st.Requests["PUT /v1/stock/{sku}/{location}"]
	return byStatus["200"], byStatus["412"]
}
