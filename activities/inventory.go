package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// Inventory holds the activities that keep stock in step between Shopify
// and the ERP: the real-time path of inventory_levels/update and the
// inventory reconciler's comparison and corrections.
type Inventory struct {
	ERP     *erp.Client
	Shopify *ShopifyClients
	// Locations maps each shop's Shopify locations to ERP locations.
	Locations LocationMap
	Retry     RetryPolicy
	// Metrics receives the reconciliation figures; nil records nothing.
	Metrics *ReconcileMetrics
}

// ResolveStockTargetInput asks where the ERP keeps the stock of one
// Shopify inventory level.
type ResolveStockTargetInput struct {
	Shop            string
	CorrelationID   string
	InventoryItemID int64
	LocationID      int64
}

// StockTarget is the ERP's name for a Shopify inventory level: the SKU and
// the ERP location.
type StockTarget struct {
	SKU         string
	ERPLocation string
	// Synced is false when the shop's location map leaves the location
	// out: its stock is not kept in the ERP.
	Synced bool
}

// ResolveStockTarget finds the SKU of the inventory item (from Shopify,
// where the variant's SKU lives) and the ERP location its Shopify location
// maps to. An item that no longer exists or has no SKU is a non-retryable
// ProductNotFound: only a change in Shopify can fix it.
func (a *Inventory) ResolveStockTarget(ctx context.Context, in ResolveStockTargetInput) (StockTarget, error) {
	wh, ok := a.Locations.ERPLocation(in.Shop, in.LocationID)
	if !ok {
		return StockTarget{}, nil
	}
	c, err := a.Shopify.For(in.Shop)
	if err != nil {
		return StockTarget{}, temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	item, err := admin.InventoryLevelOf(ctx, c, inventoryItemGID(in.InventoryItemID), locationGID(in.LocationID))
	if err != nil {
		return StockTarget{}, a.Retry.classify(ctx, err)
	}
	if item == nil || item.Sku == "" {
		what := "does not exist in Shopify"
		if item != nil {
			what = "has no SKU in Shopify"
		}
		return StockTarget{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("inventory item %d %s", in.InventoryItemID, what), FailureProductNotFound, nil, in.InventoryItemID)
	}
	return StockTarget{SKU: item.Sku, ERPLocation: wh, Synced: true}, nil
}

// SetERPStockInput is one conditional stock write to the ERP.
type SetERPStockInput struct {
	IdempotencyKey string
	CorrelationID  string
	SKU            string
	Location       string
	Available      int
	// Version is Shopify's updated_at of the change: the ERP keeps the
	// newest.
	Version time.Time
}

// SetERPStockResult says what the ERP did with a stock write.
type SetERPStockResult struct {
	// Applied is false when the ERP already held a newer version.
	Applied bool
	// Stored is the ERP's record after the write.
	Stored erp.StockRecord
}

// SetERPStock writes the SKU's stock at the ERP location unless the ERP
// holds a newer version. A stale write is the expected fate of a webhook
// that arrives after a newer one: it succeeds with Applied false.
func (a *Inventory) SetERPStock(ctx context.Context, in SetERPStockInput) (SetERPStockResult, error) {
	ctx = erp.WithCorrelationID(ctx, in.CorrelationID)
	rec, err := a.ERP.SetStockVersioned(ctx, erp.StockWrite{
		SKU: in.SKU, Location: in.Location, Available: in.Available, Version: in.Version, IdempotencyKey: in.IdempotencyKey,
	})
	if errors.Is(err, erp.ErrStaleVersion) {
		loggerFor(ctx, in.CorrelationID).Info("ERP holds a newer stock version; older write skipped",
			"sku", in.SKU, "location", in.Location, "version", in.Version, "stored_version", rec.Version)
		return SetERPStockResult{Applied: false, Stored: rec}, nil
	}
	if err != nil {
		return SetERPStockResult{}, a.Retry.classify(ctx, err)
	}
	return SetERPStockResult{Applied: true, Stored: rec}, nil
}

func inventoryItemGID(id int64) string { return fmt.Sprintf("gid://shopify/InventoryItem/%d", id) }

func locationGID(id int64) string { return fmt.Sprintf("gid://shopify/Location/%d", id) }
