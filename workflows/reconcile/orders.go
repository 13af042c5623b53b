package reconcile

import (
	"fmt"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/workflows"
)

// OrdersName is the orders reconciler's workflow type.
const OrdersName = "ReconcileOrders"

// OrdersInput is one orders reconciliation run.
type OrdersInput struct {
	Shop string
	// Window is how far back orders are looked at (by update, which
	// payment is); DefaultOrdersWindow if zero. It overlaps the interval,
	// so that an order updated just before a run is seen by the next too.
	Window time.Duration
	// OrderSyncTaskQueue is where the order-sync workflows run: the
	// webhooks' queue (workflows.TaskQueue) if empty.
	OrderSyncTaskQueue string
	// FullWindow is the window of the day's full run: the first run after
	// midnight UTC of a scheduled reconciler looks this far back;
	// DefaultOrdersFullWindow if zero.
	FullWindow time.Duration
	// DryRun syncs nothing and reports the orders it would.
	DryRun bool
	// Interval is the schedule's, for the metrics.
	Interval time.Duration
	// State carries a run over continue-as-new; nil for a new run.
	State *OrdersState `json:",omitempty"`
}

// Windows of the orders runs: twice the default interval for the hourly
// ones, 30 days (within Shopify's 60 days of orders readable without
// read_all_orders) for the daily full run.
const (
	DefaultOrdersWindow     = 2 * time.Hour
	DefaultOrdersFullWindow = 30 * 24 * time.Hour
)

// fullRun reports whether a scheduled run at now is the day's full run:
// the first of the day (UTC) for a schedule of the given interval.
func fullRun(now time.Time, interval time.Duration) bool {
	if interval <= 0 || interval >= 24*time.Hour {
		return false
	}
	return now.Sub(now.UTC().Truncate(24*time.Hour)) < interval
}

// OrdersState is how far a run got.
type OrdersState struct {
	Since, Until time.Time
	After        string
	Report       OrdersReport
}

// OrdersReport is what an orders run found and did.
type OrdersReport struct {
	Shop         string
	DryRun       bool
	Since, Until time.Time
	Started      time.Time
	Finished     time.Time `json:",omitzero"`
	// Full is true for the day's full run.
	Full bool
	// Checked counts paid, open orders in the window.
	Checked int
	// Uninvoiced counts those the ERP had no invoice for.
	Uninvoiced int
	// Synced counts those the order-sync path then invoiced; Failed those
	// it could not (each a dead letter of its own, to replay).
	Synced   int
	Failed   int
	Failures []OrderFailure `json:",omitempty"`
	Done     bool
}

// OrderFailure is an order reconciliation could not sync.
type OrderFailure struct {
	OrderID    int64
	Name       string
	WorkflowID string
	Error      string
}

func ordersWorkflow(cfg workflows.Config) any {
	return func(ctx workflow.Context, in OrdersInput) (OrdersReport, error) {
		return reconcileOrders(ctx, cfg, in)
	}
}

// reconcileOrders sends every paid order of the window without an ERP
// invoice through the order-sync path of orders/create, under the order's
// own idempotency keys: a late webhook and the reconciliation converge on
// one invoice and one fulfillment request.
func reconcileOrders(ctx workflow.Context, cfg workflows.Config, in OrdersInput) (OrdersReport, error) {
	logger := log.With(workflow.GetLogger(ctx), "shop", in.Shop, "reconciler", OrdersName)
	if in.Window <= 0 {
		in.Window = DefaultOrdersWindow
	}
	if in.OrderSyncTaskQueue == "" {
		in.OrderSyncTaskQueue = workflows.TaskQueue
	}
	if in.FullWindow <= 0 {
		in.FullWindow = DefaultOrdersFullWindow
	}
	st := in.State
	if st == nil {
		now := workflow.Now(ctx)
		window := in.Window
		if fullRun(now, in.Interval) {
			window = max(window, in.FullWindow)
		}
		st = &OrdersState{Since: now.Add(-window), Until: now,
			Report: OrdersReport{Shop: in.Shop, DryRun: in.DryRun, Since: now.Add(-window), Until: now, Started: now, Full: window > in.Window}}
	}
	rep := &st.Report
	if err := workflow.SetQueryHandler(ctx, ReportQuery, func() (OrdersReport, error) { return *rep, nil }); err != nil {
		return *rep, err
	}
	for pages := 0; ; pages++ {
		if pages == pagesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			in.State = st
			return *rep, workflow.NewContinueAsNewError(ctx, OrdersName, in)
		}
		var page activities.UninvoicedOrdersPage
		err := workflow.ExecuteActivity(workflows.WithActivity(ctx, cfg, "Find paid orders of "+in.Shop+" without an ERP invoice"),
			workflows.OrdersActivities.FindUninvoicedOrders, activities.FindUninvoicedOrdersInput{
				Shop: in.Shop, Since: st.Since, After: st.After,
			}).Get(ctx, &page)
		if err != nil {
			return *rep, workflows.FailActivity(ctx, logger, err)
		}
		rep.Checked += page.Checked
		rep.Uninvoiced += len(page.Orders)
		if !in.DryRun {
			syncOrders(ctx, in, rep, page.Orders)
		}
		if page.Next == "" {
			break
		}
		st.After = page.Next
	}
	rep.Finished, rep.Done = workflow.Now(ctx), true
	recordRun(ctx, cfg, logger, OrdersName, in.Interval, activities.ReconcileRunSummary{
		Shop: in.Shop, Reconciler: OrdersName, Started: rep.Started, Finished: rep.Finished, DryRun: in.DryRun,
		DriftByField: map[string]int{"invoice": rep.Uninvoiced}, DriftItems: rep.Uninvoiced,
		Corrections: map[string]int{activities.CorrectionApplied: rep.Synced, activities.CorrectionFailed: rep.Failed},
	})
	logger.Info("orders reconciled", "checked", rep.Checked, "uninvoiced", rep.Uninvoiced, "synced", rep.Synced, "failed", rep.Failed)
	return *rep, nil
}

// syncOrders runs the orders/create workflow for each order as a child,
// with the ID and search attributes a webhook's would have, so that one
// that fails is a dead letter like any other, and waits for them.
func syncOrders(ctx workflow.Context, in OrdersInput, rep *OrdersReport, orders []activities.UninvoicedOrder) {
	route, _ := workflows.RouteFor("orders/create")
	futures := make([]workflow.ChildWorkflowFuture, len(orders))
	for i, o := range orders {
		hookID := "reconcile-" + strconv.FormatInt(o.ID, 10)
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID: workflows.WebhookWorkflowID(in.Shop, hookID),
			TaskQueue:  in.OrderSyncTaskQueue,
			// A sync that failed before may run again; one that succeeded
			// would have left an invoice.
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			TypedSearchAttributes: temporal.NewSearchAttributes(
				workflows.ShopDomainKey.ValueSet(in.Shop), workflows.WebhookTopicKey.ValueSet(route.Topic)),
			StaticSummary: route.Summary + " · " + in.Shop + " · reconciliation of " + o.Name,
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, route.Workflow, workflows.Webhook{
			Shop: in.Shop, Topic: route.Topic, ID: hookID, Payload: o.Payload,
		})
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			rep.Failed++
			if len(rep.Failures) < maxListed {
				rep.Failures = append(rep.Failures, OrderFailure{OrderID: orders[i].ID, Name: orders[i].Name,
					WorkflowID: workflows.WebhookWorkflowID(in.Shop, "reconcile-"+strconv.FormatInt(orders[i].ID, 10)), Error: fmt.Sprint(err)})
			}
			continue
		}
		rep.Synced++
	}
}
