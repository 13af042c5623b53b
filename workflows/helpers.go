package workflows

import (
	"errors"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// The helpers every shopflow workflow uses, here and in the packages below
// (reconcilers, backfills): how an activity is called and how a workflow
// fails. They are exported for those packages; webhook workflows use them
// the same way.

// ERPActivities is a nil receiver that names the ERP activities type-safely
// in ExecuteActivity; the worker registers the real one (worker/wiring).
var ERPActivities *activities.ERP

// InventoryActivities names the stock activities the same way.
var InventoryActivities *activities.Inventory

// OrdersActivities names the orders reconciler's activities the same way.
var OrdersActivities *activities.Orders

// WithActivity returns ctx set up for one activity call: shopflow's retry
// policy, the per-attempt timeout, and a summary the Web UI shows in place of
// the function name. Summaries name the business entity, e.g. "Create ERP
// invoice for #1001".
func WithActivity(ctx workflow.Context, cfg Config, summary string) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: cfg.ActivityTimeout,
		RetryPolicy:         cfg.Retry.Temporal(),
		Summary:             summary,
	})
}

// Fail ends a workflow as a dead letter of the given kind (one of
// activities.FailureKinds): it records the kind in the FailureKind search
// attribute, so that operators can find every failure of one class, and
// returns the error the workflow must return, unwrapped, as the server
// looks only at the top-level failure's type.
func Fail(ctx workflow.Context, logger log.Logger, kind string, err error) error {
	if uerr := workflow.UpsertTypedSearchAttributes(ctx, FailureKindKey.ValueSet(kind)); uerr != nil {
		logger.Error("could not record the failure kind", "error", uerr)
	}
	logger.Error("workflow failed", "failure_kind", kind, "error", err)
	return temporal.NewNonRetryableApplicationError(err.Error(), kind, err)
}

// FailActivity ends the workflow after an activity failed for good, with
// the failure kind its error makes, unless the workflow itself was
// canceled: that is an operator's decision, not a dead letter.
func FailActivity(ctx workflow.Context, logger log.Logger, err error) error {
	var canceled *temporal.CanceledError
	if errors.As(err, &canceled) {
		return err
	}
	return Fail(ctx, logger, activities.FailureKindOf(err), err)
}
