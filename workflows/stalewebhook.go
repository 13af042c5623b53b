package workflows

import (
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"
)

// StaleWebhookWorkflow is the type the ingress starts, in place of the
// topic's workflow, for a webhook older than its replay window (off by
// default): the webhook is recorded (its input, encrypted, in the history;
// its ID taken, so redeliveries are still refused) and nothing is applied,
// because a webhook that old may undo newer state. Reconciliation brings
// the systems together instead. Find them with WorkflowType="StaleWebhook".
const StaleWebhookWorkflow = "StaleWebhook"

// StaleRoute is the route of stale webhooks.
func StaleRoute() Route {
	return Route{Topic: "", Workflow: StaleWebhookWorkflow, Summary: "Stale webhook recorded, left to reconciliation", run: StaleWebhook}
}

// StaleWebhook records a stale webhook and applies nothing.
func StaleWebhook(ctx workflow.Context, _ Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)
	logger.Info("stale webhook recorded, left to reconciliation", "triggered_at", hook.TriggeredAt)
	return nil
}
