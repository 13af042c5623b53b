package reconcile_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// onActivity runs hook once, on the worker, around the first execution of
// the named activity: before it, or after it returned if after is set. It
// puts a real event between two steps of a reconciliation.
type onActivity struct {
	interceptor.WorkerInterceptorBase
	name  string
	after bool
	once  sync.Once
	hook  func()
}

func (o *onActivity) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &onActivityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, o: o}
}

type onActivityInbound struct {
	interceptor.ActivityInboundInterceptorBase
	o *onActivity
}

func (i *onActivityInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	mine := activity.GetInfo(ctx).ActivityType.Name == i.o.name
	if mine && !i.o.after {
		i.o.once.Do(i.o.hook)
	}
	out, err := i.Next.ExecuteActivity(ctx, in)
	if mine && i.o.after {
		i.o.once.Do(i.o.hook)
	}
	return out, err
}

// A sale that lands between the read and the correction is not
// overwritten: the correction's changeFromQuantity is stale, the read
// again finds the level just changed, and the item is left to the next
// run.
func TestReconcileInventoryDoesNotOverwriteAConcurrentSale(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	var drifted level
	var variantID string
	sale := &onActivity{name: "CorrectInventory", hook: func() {
		if _, err := s.Shopify.CreateOrder(s.Shop, shopifysim.OrderInput{
			LineItems: []shopifysim.LineItemInput{{VariantID: variantID, Quantity: 1}},
		}); err != nil {
			t.Errorf("the sale: %v", err)
		}
	}}
	tq := reconcileQueue(t, s, sale)
	levels := seedInSync(t, s, 3, 1)
	drifted = levels[1]
	catalog, err := s.Shopify.Catalog(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range catalog {
		if p.Variants[0].InventoryItemID == drifted.itemID {
			variantID = p.Variants[0].ID
		}
	}
	setShopifyStock(t, s, drifted, 10, false)
	eventually(t, "the ERP to show 10", func() bool { return erpAvailable(t, s, drifted) == 10 })
	setShopifyStock(t, s, drifted, 8, true)
	time.Sleep(grace)

	rep := runInventory(t, s, tq, reconcile.InventoryInput{Truth: activities.TruthERP, GraceWindow: grace})
	recordLastRun(t, s, "reconcile_inventory_stale_deferred")
	if got := shopifyAvailable(t, s, drifted); got != 7 {
		t.Fatalf("Shopify shows %d after the run, want 7: the sale must not be overwritten", got)
	}
	if rep.Drifted != 1 || rep.Corrected != 0 || rep.Deferred != 1 || len(rep.DeferredItems) != 1 || rep.DeferredItems[0].Drift.Shopify != 7 {
		t.Fatalf("report %+v; want the drift deferred after reading 7", rep)
	}
}
