package workflows

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/shopify/admin"
)

// BulkOperationFinished routes Shopify's bulk_operations/finish webhook to
// the workflow waiting for that operation, as a signal. If none waits (it
// already learned the end by polling, or has not started yet and will
// poll), there is nothing to do.
func BulkOperationFinished(ctx workflow.Context, _ Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)
	var body struct {
		ID     string `json:"admin_graphql_api_id"`
		Status string `json:"status"`
	}
	if len(hook.Payload) == 0 || json.Unmarshal(hook.Payload, &body) != nil || body.ID == "" || body.Status == "" {
		return Fail(ctx, logger, activities.FailureInvalidPayload, errors.New("bulk_operations/finish payload lacks admin_graphql_api_id or status"))
	}
	_, n, err := admin.ParseGID(body.ID)
	if err != nil {
		return Fail(ctx, logger, activities.FailureInvalidPayload, err)
	}
	waiter := BulkOperationWaitID(hook.Shop, strconv.FormatInt(n, 10))
	err = workflow.SignalExternalWorkflow(ctx, waiter, "", BulkOperationFinishedSignal, strings.ToUpper(body.Status)).Get(ctx, nil)
	if err != nil {
		logger.Info("no workflow waits for the bulk operation; it polls", "bulk_operation", body.ID, "error", err)
		return nil
	}
	logger.Info("told the waiting workflow the bulk operation finished", "bulk_operation", body.ID, "status", body.Status)
	return nil
}
