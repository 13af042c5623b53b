package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// InventoryLevelUpdated sets the ERP's stock for the item's SKU at the ERP
// location its Shopify location maps to. Shopify keeps no order among
// webhooks, so the write carries Shopify's updated_at as its version and
// the ERP keeps the newest: a late, older webhook changes nothing.
func InventoryLevelUpdated(ctx workflow.Context, cfg Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)

	lvl, err := decodeInventoryLevel(hook)
	if err != nil {
		return Fail(ctx, logger, activities.FailureInvalidPayload, err)
	}
	if lvl.AdminGraphQLAPIID != "" {
		if err := workflow.UpsertTypedSearchAttributes(ctx, ResourceIDKey.ValueSet(lvl.AdminGraphQLAPIID)); err != nil {
			logger.Warn("could not record the resource ID", "error", err)
		}
	}
	if lvl.Available == nil {
		// Shopify sends null for an item whose stock it does not track.
		logger.Info("inventory level has no available quantity; nothing to sync")
		return nil
	}

	var target activities.StockTarget
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, fmt.Sprintf("Find the SKU of inventory item %d at location %d", lvl.InventoryItemID, lvl.LocationID)),
		InventoryActivities.ResolveStockTarget, activities.ResolveStockTargetInput{
			Shop: hook.Shop, CorrelationID: hook.ID, InventoryItemID: lvl.InventoryItemID, LocationID: lvl.LocationID,
		}).Get(ctx, &target)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	if !target.Synced {
		logger.Info("location is not kept in the ERP", "location_id", lvl.LocationID)
		return nil
	}

	var res activities.SetERPStockResult
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, fmt.Sprintf("Set ERP stock of %s at %s to %d", target.SKU, target.ERPLocation, *lvl.Available)),
		InventoryActivities.SetERPStock, activities.SetERPStockInput{
			IdempotencyKey: StockKey(hook.Shop, lvl.InventoryItemID, lvl.LocationID, lvl.UpdatedAt, *lvl.Available),
			CorrelationID:  hook.ID,
			SKU:            target.SKU,
			Location:       target.ERPLocation,
			Available:      *lvl.Available,
			Version:        lvl.UpdatedAt,
		}).Get(ctx, &res)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}
	logger.Info("stock synced to the ERP", "sku", target.SKU, "location", target.ERPLocation, "applied", res.Applied)
	return nil
}

// inventoryLevel is Shopify's inventory_levels/update payload (REST shape).
type inventoryLevel struct {
	InventoryItemID   int64     `json:"inventory_item_id"`
	LocationID        int64     `json:"location_id"`
	Available         *int      `json:"available"`
	UpdatedAt         time.Time `json:"updated_at"`
	AdminGraphQLAPIID string    `json:"admin_graphql_api_id"`
}

// decodeInventoryLevel reads and validates an inventory_levels/update
// payload, naming every problem found.
func decodeInventoryLevel(hook Webhook) (inventoryLevel, error) {
	if len(hook.InvalidBody) > 0 || len(hook.Payload) == 0 {
		return inventoryLevel{}, errors.New("webhook body is not valid JSON")
	}
	var l inventoryLevel
	if err := json.Unmarshal(hook.Payload, &l); err != nil {
		return inventoryLevel{}, fmt.Errorf("webhook body is not an inventory level: %v", err)
	}
	var problems []string
	if l.InventoryItemID <= 0 {
		problems = append(problems, "inventory_item_id is missing")
	}
	if l.LocationID <= 0 {
		problems = append(problems, "location_id is missing")
	}
	if l.UpdatedAt.IsZero() {
		problems = append(problems, "updated_at is missing")
	}
	if l.Available != nil && *l.Available < 0 {
		// Shopify allows overselling into negative available; the ERP's
		// stock cannot go below zero.
		zero := 0
		l.Available = &zero
	}
	if len(problems) > 0 {
		return inventoryLevel{}, fmt.Errorf("invalid inventory level payload: %s", strings.Join(problems, "; "))
	}
	return l, nil
}
