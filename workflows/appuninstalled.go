package workflows

import (
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/shopwork"
)

// AppUninstalled answers app/uninstalled: it pauses the shop's schedules
// (with shopwork.UninstalledNote, so that `starter shop resume` unpauses
// exactly those when the shop reinstalls) and cancels its backfills, which
// stop at a batch boundary and resume when started again. The shop's data
// stays until shop/redact.
func AppUninstalled(ctx workflow.Context, cfg Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)
	var paused []string
	err := workflow.ExecuteActivity(WithActivity(ctx, cfg, "Pause the schedules of "+hook.Shop),
		ComplianceActivities.PauseShopSchedules, activities.ShopSchedulesInput{
			Shop: hook.Shop, ShopAttribute: ShopDomainKey.GetName(), Note: shopwork.UninstalledNote,
		}).Get(ctx, &paused)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	var stopped []string
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Stop the backfills of "+hook.Shop),
		ComplianceActivities.StopWorkflows, activities.StopWorkflowsInput{
			Shop: hook.Shop, Query: backfillsQuery(hook.Shop, BackfillTaskQueue), Reason: "app/uninstalled",
		}).Get(ctx, &stopped)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	logger.Info("uninstalled shop's work paused", "schedules_paused", len(paused), "backfills_stopped", len(stopped))
	return nil
}
