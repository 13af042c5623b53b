package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"golang.org/x/sync/errgroup"

	"github.com/shopflow/shopflow/erp"
)

// ERP holds the activities that read from and write to the merchant's ERP.
type ERP struct {
	Client *erp.Client
	Retry  RetryPolicy
}

// LineItem is an order line as Shopify's orders/* webhooks carry it (REST
// shape, hence the JSON names) and as the ERP activities map it.
type LineItem struct {
	ID        int64  `json:"id"`
	ProductID int64  `json:"product_id"`
	VariantID int64  `json:"variant_id"`
	SKU       string `json:"sku"`
	Title     string `json:"title"`
	Quantity  int    `json:"quantity"`
	Price     string `json:"price"`
}

// MapLineItemsInput asks for the ERP SKU of each line item of an order.
type MapLineItemsInput struct {
	Shop          string
	CorrelationID string
	Items         []LineItem
}

// MappedLine is a line item resolved to the ERP's product master.
type MappedLine struct {
	LineItemID int64
	SKU        string
	Quantity   int
	UnitPrice  string
}

// MapLineItems resolves every line item to an ERP SKU. A line item resolves
// by its exact Shopify variant, else by its SKU, else by its Shopify product;
// one that resolves to nothing fails the activity with a non-retryable
// ProductNotFound naming it, since only a change in the ERP can fix that.
func (a *ERP) MapLineItems(ctx context.Context, in MapLineItemsInput) ([]MappedLine, error) {
	ctx = erp.WithCorrelationID(ctx, in.CorrelationID)
	// Items are resolved a few at a time, so that a large order's lookups
	// fit in one attempt's timeout.
	products := make([]erp.Product, len(in.Items))
	errs := make([]error, len(in.Items))
	var g errgroup.Group
	g.SetLimit(mapConcurrency)
	for i, item := range in.Items {
		g.Go(func() error {
			products[i], errs[i] = a.resolve(ctx, item)
			return nil
		})
	}
	g.Wait()

	// Report the first failing item in order, so that a retry or a replay
	// names the same one.
	for i, err := range errs {
		item := in.Items[i]
		if errors.Is(err, erp.ErrProductNotFound) {
			loggerFor(ctx, in.CorrelationID).Warn("line item has no product in the ERP",
				"line_item_id", item.ID, "product_id", item.ProductID, "variant_id", item.VariantID)
			return nil, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("product not found in the ERP: line item %d (product %d, variant %d, sku %q)",
					item.ID, item.ProductID, item.VariantID, item.SKU),
				FailureProductNotFound, nil, item.ProductID)
		}
		if err != nil {
			return nil, a.Retry.classify(ctx, err)
		}
	}
	out := make([]MappedLine, len(in.Items))
	for i, item := range in.Items {
		out[i] = MappedLine{LineItemID: item.ID, SKU: products[i].SKU, Quantity: item.Quantity, UnitPrice: item.Price}
	}
	return out, nil
}

// mapConcurrency bounds the ERP lookups one MapLineItems makes at once.
const mapConcurrency = 8

// resolve finds the ERP product of one line item, or erp.ErrProductNotFound.
func (a *ERP) resolve(ctx context.Context, item LineItem) (erp.Product, error) {
	// A product-level entry met while looking for the exact variant is
	// the last resort, kept so that it is not fetched twice.
	var productLevel *erp.Product
	if item.VariantID != 0 {
		p, err := a.Client.LookupProduct(ctx, item.ProductID, item.VariantID)
		switch {
		case err == nil && p.ShopifyVariantID == item.VariantID:
			return p, nil
		case err == nil:
			productLevel = &p
		case !errors.Is(err, erp.ErrProductNotFound):
			return erp.Product{}, err
		}
	}
	if item.SKU != "" {
		p, err := a.Client.GetProduct(ctx, item.SKU)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, erp.ErrProductNotFound) {
			return erp.Product{}, err
		}
	}
	if productLevel != nil {
		return *productLevel, nil
	}
	if item.ProductID != 0 && item.VariantID == 0 {
		return a.Client.LookupProduct(ctx, item.ProductID, 0)
	}
	return erp.Product{}, erp.ErrProductNotFound
}

// CreateInvoiceInput asks for the invoice of one order, under the order's
// idempotency key.
type CreateInvoiceInput struct {
	IdempotencyKey string
	CorrelationID  string
	Invoice        erp.InvoiceRequest
}

// CreateInvoice creates the order's invoice in the ERP. Repeating it with
// the same key returns the invoice created first.
func (a *ERP) CreateInvoice(ctx context.Context, in CreateInvoiceInput) (erp.Invoice, error) {
	ctx = erp.WithCorrelationID(ctx, in.CorrelationID)
	inv, err := a.Client.CreateInvoice(ctx, in.IdempotencyKey, in.Invoice)
	if err != nil {
		return erp.Invoice{}, a.Retry.classify(ctx, err)
	}
	loggerFor(ctx, in.CorrelationID).Info("invoice created", "invoice_id", inv.ID, "order_id", in.Invoice.OrderID)
	return inv, nil
}

// RequestFulfillmentInput asks the ERP to fulfil one order, under the
// order's idempotency key.
type RequestFulfillmentInput struct {
	IdempotencyKey string
	CorrelationID  string
	Request        erp.FulfillmentRequestInput
}

// RequestFulfillment asks the ERP's fulfillment API to ship an order.
// Repeating it with the same key returns the request made first.
func (a *ERP) RequestFulfillment(ctx context.Context, in RequestFulfillmentInput) (erp.FulfillmentRequest, error) {
	ctx = erp.WithCorrelationID(ctx, in.CorrelationID)
	fr, err := a.Client.CreateFulfillmentRequest(ctx, in.IdempotencyKey, in.Request)
	if err != nil {
		return erp.FulfillmentRequest{}, a.Retry.classify(ctx, err)
	}
	loggerFor(ctx, in.CorrelationID).Info("fulfillment requested", "fulfillment_request_id", fr.ID, "order_id", in.Request.OrderID)
	return fr, nil
}

// loggerFor returns the activity's logger carrying the correlation ID, so
// that one webhook's lines can be found across every process.
func loggerFor(ctx context.Context, correlationID string) log.Logger {
	return log.With(activity.GetLogger(ctx), "correlation_id", correlationID)
}
