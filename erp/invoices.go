package erp

import (
	"context"
	"net/http"
)

// CreateInvoice creates the invoice for an order. idempotencyKey must be
// stable across retries of the same logical invoice (for example derived
// from shop and order ID): the ERP answers a repeat with the invoice it
// created the first time instead of creating another. Amounts are sent in
// CanonicalAmount's form, so that the same invoice reads the same however
// Shopify spelled its amounts.
func (c *Client) CreateInvoice(ctx context.Context, idempotencyKey string, in InvoiceRequest) (Invoice, error) {
	if idempotencyKey == "" {
		return Invoice{}, ErrMissingIdempotencyKey
	}
	var out Invoice
	err := c.do(ctx, call{
		method:         http.MethodPost,
		path:           "/v1/invoices",
		idempotencyKey: idempotencyKey,
		in:             in.canonical(),
		out:            &out,
	})
	return out, err
}
