package workflows

import (
	"strconv"
	"time"
)

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

// StockKey is the idempotency key of the ERP stock write of one change of
// an inventory level: its version (Shopify's updated_at) and quantity, as
// two changes within one second share a version.
func StockKey(shop string, inventoryItemID, locationID int64, version time.Time, available int) string {
	return "stock:" + shop + ":" + strconv.FormatInt(inventoryItemID, 10) + ":" +
		strconv.FormatInt(locationID, 10) + ":" + strconv.FormatInt(version.Unix(), 10) + ":" + strconv.Itoa(available)
}

// InventoryCorrectionKey is the base of the idempotency key of one
// inventory correction of a reconciliation run: the run (its workflow ID,
// which continue-as-new keeps), the Shopify item and location. The
// correcting activity appends its decision ("from->to"), so that a retry
// repeats the same decision under the same key while a decision taken
// again after a concurrent change gets a key of its own.
func InventoryCorrectionKey(run, inventoryItemID, locationID string) string {
	return "inventory-correction:" + run + ":" + inventoryItemID + ":" + locationID
}
