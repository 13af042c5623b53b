package workflows

import (
	"errors"
	"strconv"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// ShopRedact answers shop/redact, sent 48 hours after a shop uninstalled
// the app: it deletes the shop's schedules, stops its backfills, then
// destroys its data key, after which every payload of the shop in Temporal
// is undecodable. The key is destroyed by a workflow of its own
// (DestroyShopDataKey) that starts after this one has done everything
// else: this workflow's own input is under the shop's key, and a replay
// after the key is gone could not read it.
func ShopRedact(ctx workflow.Context, cfg Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)
	p, err := decodeCompliance(hook)
	if err == nil && p.ShopID == 0 {
		err = errors.New("the body has no shop_id")
	}
	if err != nil {
		return Fail(ctx, logger, activities.FailureInvalidPayload, err)
	}
	var schedules []string
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Delete the schedules of "+hook.Shop),
		ComplianceActivities.DeleteShopSchedules, activities.ShopSchedulesInput{
			Shop: hook.Shop, ShopAttribute: ShopDomainKey.GetName(),
		}).Get(ctx, &schedules)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	var backfills []string
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Stop the backfills of "+hook.Shop),
		ComplianceActivities.StopWorkflows, activities.StopWorkflowsInput{
			Shop: hook.Shop, Query: backfillsQuery(hook.Shop, BackfillTaskQueue), Terminate: true,
			Reason: "shop/redact: the shop's data is erased",
		}).Get(ctx, &backfills)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	child := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            ShopDataKeyWorkflowID(p.ShopID),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		// No summary: it would be encoded in this workflow's context, under
		// the very key the child destroys.
	})
	err = workflow.ExecuteChildWorkflow(child, DestroyShopDataKeyWorkflow, hook.Shop).GetChildWorkflowExecution().Get(ctx, nil)
	var started *temporal.ChildWorkflowExecutionAlreadyStartedError
	if err != nil && !errors.As(err, &started) {
		return FailActivity(ctx, logger, err)
	}
	logger.Info("shop redacted", "schedules_deleted", len(schedules), "backfills_stopped", len(backfills))
	return nil
}

// DestroyShopDataKeyWorkflow is the type of the workflow that destroys a
// shop's data key.
const DestroyShopDataKeyWorkflow = "DestroyShopDataKey"

// ShopDataKeyWorkflowID is the ID of the workflow that destroys a shop's
// data key. It names the shop by its numeric ID, not its domain, so that
// the workflow's own payloads are not under the key it destroys.
func ShopDataKeyWorkflowID(shopID int64) string {
	return "shop-data-key/" + strconv.FormatInt(shopID, 10)
}

// DestroyShopDataKey destroys a shop's data key.
func DestroyShopDataKey(ctx workflow.Context, cfg Config, shop string) error {
	logger := log.With(workflow.GetLogger(ctx), "shop", shop)
	err := workflow.ExecuteActivity(WithActivity(ctx, cfg, "Destroy the data key of "+shop),
		ComplianceActivities.DestroyShopKey, shop).Get(ctx, nil)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	return nil
}
