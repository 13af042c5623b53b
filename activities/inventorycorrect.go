package activities

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// Correction outcomes beyond the metric's applied, failed and deferred.
const (
	// CorrectionInSync: a fresh read found the sides agree; nothing done.
	CorrectionInSync = "in_sync"
	// CorrectionWouldApply: a dry run's correction.
	CorrectionWouldApply = "would_apply"
)

// CorrectInventoryInput asks for the corrections of a batch of drift.
type CorrectInventoryInput struct {
	Shop string
	// Run names the run in referenceDocumentUri.
	Run   string
	Rules InventoryRules
	// DryRun corrects nothing and reports what would be done.
	DryRun bool
	Drifts []CorrectionRequest
}

// CorrectionRequest is one drift to correct, with the base of its
// correction's idempotency key (workflows.InventoryCorrectionKey).
type CorrectionRequest struct {
	Drift InventoryDrift
	Key   string
}

// InventoryCorrection is what became of one drift.
type InventoryCorrection struct {
	Drift   InventoryDrift
	Outcome string
	// Reason explains a failed or deferred correction.
	Reason string `json:",omitempty"`
}

// maxStaleRereads bounds how often a correction Shopify finds stale (the
// quantity changed since it was read) is read and decided again.
const maxStaleRereads = 3

// CorrectInventory corrects each drift in the direction of truth:
//
//   - ERP is the truth: inventorySetQuantities sets Shopify's available
//     quantity to the ERP's, reason correction, changeFromQuantity the
//     value read, so that a sale landing since is never overwritten: a
//     stale answer makes it read both sides again and decide again, at
//     most maxStaleRereads times; an item that changed within the grace
//     window is deferred to the next run.
//   - Shopify is the truth: a conditional ERP write of Shopify's quantity
//     with Shopify's updated_at as its version, so that a newer webhook
//     wins.
//
// Every write carries an idempotency key from the run, item, location and
// decision. A correction refused for good is reported as failed, not
// returned as an error; an error is returned only to be retried (every
// correction already made replays under its key). Progress is kept in
// heartbeat details, so that a retry resumes where the last attempt was.
func (a *Inventory) CorrectInventory(ctx context.Context, in CorrectInventoryInput) ([]InventoryCorrection, error) {
	var out []InventoryCorrection
	if progressOf(ctx, &out) && len(out) > len(in.Drifts) {
		out = nil
	}
	c, err := a.Shopify.For(in.Shop)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	for _, req := range in.Drifts[len(out):] {
		var res InventoryCorrection
		var err error
		switch {
		case in.DryRun:
			res = InventoryCorrection{Drift: req.Drift, Outcome: CorrectionWouldApply}
		case in.Rules.Truth == TruthShopify:
			res, err = a.correctERP(ctx, in, req)
		default:
			res, err = a.correctShopify(ctx, c, in, req)
		}
		if err != nil {
			return nil, a.Retry.classifyWithProgress(ctx, err, out)
		}
		out = append(out, res)
		recordProgress(ctx, out)
	}
	return out, nil
}

// correctERP writes Shopify's quantity to the ERP, versioned.
func (a *Inventory) correctERP(ctx context.Context, in CorrectInventoryInput, req CorrectionRequest) (InventoryCorrection, error) {
	d := req.Drift
	_, err := a.ERP.SetStockVersioned(ctx, erp.StockWrite{
		SKU: d.SKU, Location: d.ERPLocation, Available: d.Shopify, Version: d.ShopifyUpdatedAt,
		IdempotencyKey: decisionKey(req.Key, d.ERP, d.Shopify),
	})
	var apiErr *erp.APIError
	switch {
	case err == nil:
		return InventoryCorrection{Drift: d, Outcome: CorrectionApplied}, nil
	case errors.Is(err, erp.ErrStaleVersion):
		return InventoryCorrection{Drift: d, Outcome: CorrectionDeferred, Reason: "the ERP received a newer version during the run"}, nil
	case errors.As(err, &apiErr) && !apiErr.Retryable():
		return InventoryCorrection{Drift: d, Outcome: CorrectionFailed, Reason: err.Error()}, nil
	}
	return InventoryCorrection{}, err
}

// correctShopify sets Shopify's available quantity to the ERP's, with
// compare-and-swap on the quantity read.
func (a *Inventory) correctShopify(ctx context.Context, c *admin.Client, in CorrectInventoryInput, req CorrectionRequest) (InventoryCorrection, error) {
	d := req.Drift
	from, to := d.Shopify, d.ERP
	ref := "gid://shopflow/ReconciliationRun/" + url.PathEscape(in.Run)
	for reread := 0; ; reread++ {
		_, err := admin.SetInventoryQuantities(ctx, c, decisionKey(req.Key, from, to), admin.InventorySetQuantitiesInput{
			Name: admin.QuantityAvailable, Reason: "correction", ReferenceDocumentUri: ref,
			Quantities: []admin.InventoryQuantityInput{{
				InventoryItemId: d.InventoryItemID, LocationId: d.LocationID, Quantity: to, ChangeFromQuantity: &from,
			}},
		})
		switch {
		case err == nil:
			return InventoryCorrection{Drift: d, Outcome: CorrectionApplied}, nil
		case !admin.HasUserErrorCode(err, "CHANGE_FROM_QUANTITY_STALE"):
			var ue *admin.UserErrors
			if errors.As(err, &ue) {
				return InventoryCorrection{Drift: d, Outcome: CorrectionFailed, Reason: err.Error()}, nil
			}
			return InventoryCorrection{}, err
		case reread == maxStaleRereads:
			return InventoryCorrection{Drift: d, Outcome: CorrectionDeferred,
				Reason: fmt.Sprintf("Shopify's quantity kept changing over %d reads", reread+1)}, nil
		}
		// Stale: a sale or another change landed since the read. Read both
		// sides again and decide again.
		item, err := admin.InventoryLevelOf(ctx, c, d.InventoryItemID, d.LocationID)
		if err != nil {
			return InventoryCorrection{}, err
		}
		if item == nil || item.InventoryLevel == nil {
			return InventoryCorrection{Drift: d, Outcome: CorrectionFailed, Reason: "Shopify no longer stocks the item at the location"}, nil
		}
		rec, err := a.ERP.StockRecordOf(ctx, d.SKU, d.ERPLocation)
		if err != nil {
			return InventoryCorrection{}, err
		}
		from, to = admin.AvailableOf(item.InventoryLevel.Quantities), rec.Available
		d.Shopify, d.ShopifyUpdatedAt, d.ERP, d.ERPUpdatedAt = from, item.InventoryLevel.UpdatedAt, to, rec.UpdatedAt
		now := time.Now()
		if in.Rules.recent(d.ShopifyUpdatedAt, now) || in.Rules.recent(d.ERPUpdatedAt, now) {
			return InventoryCorrection{Drift: d, Outcome: CorrectionDeferred, Reason: "changed during the run; a webhook may be on its way"}, nil
		}
		if from == to || in.Rules.Tolerance.Within(to, from) {
			return InventoryCorrection{Drift: d, Outcome: CorrectionInSync}, nil
		}
	}
}

// decisionKey completes a correction's idempotency key with the decision,
// from and to: a retry repeats the decision under the same key, a decision
// taken again after a concurrent change gets a key of its own.
func decisionKey(base string, from, to int) string {
	return base + ":" + strconv.Itoa(from) + "->" + strconv.Itoa(to)
}
