package workflows

import (
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// redactRoundsPerRun bounds the looks one run of CustomerRedact takes
// (about ten history events each) before it continues as new.
const redactRoundsPerRun = 500

// CustomerRedact answers customers/redact: it deletes shopflow's records
// of the listed orders (their workflows, dead letters included, with their
// histories) once each has closed, waiting while some still run. Effects
// in the ERP are the merchant's records, not shopflow's, and stay.
func CustomerRedact(ctx workflow.Context, cfg Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)
	p, err := decodeCompliance(hook)
	if err != nil {
		return Fail(ctx, logger, activities.FailureInvalidPayload, err)
	}
	deleted := 0
	for round := 0; ; round++ {
		refs, err := findOrderWorkflows(ctx, cfg, hook.Shop, p.OrdersToRedact)
		if err != nil {
			return FailActivity(ctx, logger, err)
		}
		var closed []activities.WorkflowRef
		running := 0
		for _, r := range refs {
			if r.Running {
				running++
			} else {
				closed = append(closed, r)
			}
		}
		if len(closed) > 0 {
			var n int
			err := workflow.ExecuteActivity(WithActivity(ctx, cfg, "Delete the closed workflows of the redacted orders"),
				ComplianceActivities.DeleteWorkflows, closed).Get(ctx, &n)
			if err != nil {
				return FailActivity(ctx, logger, err)
			}
			deleted += n
		}
		if running == 0 {
			logger.Info("customer's orders redacted", "customer_id", p.Customer.ID, "orders", len(p.OrdersToRedact), "runs_deleted", deleted)
			return nil
		}
		if round >= redactRoundsPerRun {
			// A long wait continues as new rather than grow the history.
			return workflow.NewContinueAsNewError(ctx, "CustomerRedact", hook)
		}
		logger.Info("waiting for the redacted orders' workflows to close", "running", running)
		if err := workflow.Sleep(ctx, redactWait(round)); err != nil {
			return err
		}
	}
}
