package workflows

import (
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
)

// OrderCreated syncs a new Shopify order to the ERP: it maps each line item
// to the ERP's SKU, creates the invoice, then requests fulfillment.
func OrderCreated(ctx workflow.Context, cfg Config, hook Webhook) error {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)

	o, err := decodeOrder(hook)
	if err != nil {
		return Fail(ctx, logger, activities.FailureInvalidPayload, err)
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, ResourceIDKey.ValueSet(o.AdminGraphQLAPIID)); err != nil {
		// Only findability suffers; the order still syncs.
		logger.Warn("could not record the resource ID", "error", err)
	}

	var lines []activities.MappedLine
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Map line items of "+o.Name+" to ERP SKUs"),
		ERPActivities.MapLineItems, activities.MapLineItemsInput{
			Shop: hook.Shop, CorrelationID: hook.ID, Items: o.LineItems,
		}).Get(ctx, &lines)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}

	var invoice erp.Invoice
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Create ERP invoice for "+o.Name),
		ERPActivities.CreateInvoice, activities.CreateInvoiceInput{
			IdempotencyKey: InvoiceKey(hook.Shop, o.ID),
			CorrelationID:  hook.ID,
			Invoice:        invoiceRequest(hook.Shop, o, lines),
		}).Get(ctx, &invoice)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}

	var fulfillment erp.FulfillmentRequest
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Request fulfillment of "+o.Name),
		ERPActivities.RequestFulfillment, activities.RequestFulfillmentInput{
			IdempotencyKey: FulfillmentKey(hook.Shop, o.ID),
			CorrelationID:  hook.ID,
			Request:        fulfillmentRequest(hook.Shop, o, invoice, lines),
		}).Get(ctx, &fulfillment)
	if err != nil {
		return FailActivity(ctx, logger, err)
	}

	logger.Info("order synced to the ERP", "order_id", o.ID, "invoice_id", invoice.ID, "fulfillment_request_id", fulfillment.ID)
	return nil
}

// invoiceRequest builds the ERP invoice of an order. It depends on the order
// alone, so that every path to the same order sends the same body under the
// same idempotency key.
func invoiceRequest(shop string, o order, lines []activities.MappedLine) erp.InvoiceRequest {
	req := erp.InvoiceRequest{Shop: shop, OrderID: o.ID, OrderName: o.Name, Currency: o.Currency, Total: o.TotalPrice}
	for _, l := range lines {
		req.Lines = append(req.Lines, erp.InvoiceLine{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice})
	}
	return req
}

// fulfillmentRequest builds the ERP fulfillment request of an order.
func fulfillmentRequest(shop string, o order, invoice erp.Invoice, lines []activities.MappedLine) erp.FulfillmentRequestInput {
	req := erp.FulfillmentRequestInput{Shop: shop, OrderID: o.ID, InvoiceID: invoice.ID, ShippingAddress: o.ShippingAddress}
	for _, l := range lines {
		req.Lines = append(req.Lines, erp.FulfillmentLine{SKU: l.SKU, Quantity: l.Quantity})
	}
	return req
}
