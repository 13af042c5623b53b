package workflows

import "strconv"

// Idempotency keys identify an effect by the business entity it is about,
// never by workflow or run: the same order arriving under another webhook
// ID, a reset workflow or a reconciliation all derive the same key, so the
// downstream system applies the effect once.

// InvoiceKey is the idempotency key of the ERP invoice for an order.
func InvoiceKey(shop string, orderID int64) string {
	return "invoice:" + shop + ":" + strconv.FormatInt(orderID, 10)
}

// FulfillmentKey is the idempotency key of the ERP fulfillment request for
// an order.
func FulfillmentKey(shop string, orderID int64) string {
	return "fulfillment:" + shop + ":" + strconv.FormatInt(orderID, 10)
}
