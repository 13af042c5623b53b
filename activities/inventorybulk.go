package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/shopify/admin"
)

// CountInventoryItems counts a shop's inventory items (one per variant):
// how a reconciliation chooses between paging and a bulk query.
func (a *Inventory) CountInventoryItems(ctx context.Context, shop string) (int, error) {
	c, err := a.Shopify.For(shop)
	if err != nil {
		return 0, temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	resp, err := admin.ProductVariantsCount(ctx, c)
	if err != nil {
		return 0, a.Retry.classify(ctx, err)
	}
	return resp.ProductVariantsCount.Count, nil
}

// StartInventoryBulkRead starts the bulk query of every inventory level
// (admin.InventorySnapshotBulkQuery) and returns its ID. Shopify runs a
// few bulk queries of a shop at once at most; one refused for that is
// retried.
func (a *Inventory) StartInventoryBulkRead(ctx context.Context, shop string) (string, error) {
	c, err := a.Shopify.For(shop)
	if err != nil {
		return "", temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	op, err := admin.StartBulkQuery(ctx, c, admin.InventorySnapshotBulkQuery)
	if admin.HasUserErrorCode(err, "OPERATION_IN_PROGRESS") || admin.HasUserErrorCode(err, "LIMIT_REACHED") {
		return "", a.Retry.retryable(1, 0, err, nil)
	}
	if err != nil {
		return "", a.Retry.classify(ctx, err)
	}
	return op.Id, nil
}

// BulkOperationStatusInput names one bulk operation of a shop.
type BulkOperationStatusInput struct {
	Shop string
	ID   string
}

// BulkOperationStatus reads a bulk operation's status once ("COMPLETED",
// "RUNNING", ...); the waiting workflow polls it when no
// bulk_operations/finish webhook comes.
func (a *Inventory) BulkOperationStatus(ctx context.Context, in BulkOperationStatusInput) (string, error) {
	c, err := a.Shopify.For(in.Shop)
	if err != nil {
		return "", temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	op, err := admin.GetBulkOperation(ctx, c, in.ID)
	if err != nil {
		return "", a.Retry.classify(ctx, err)
	}
	if op == nil {
		return "", temporal.NewNonRetryableApplicationError(fmt.Sprintf("bulk operation %s not found", in.ID), FailureDownstreamRejected, nil)
	}
	return string(op.Status), nil
}
