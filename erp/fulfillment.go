package erp

import (
	"context"
	"net/http"
)

// CreateFulfillmentRequest asks the ERP to ship lines of an invoiced order.
// As with CreateInvoice, a repeat with the same idempotencyKey returns the
// request created the first time.
func (c *Client) CreateFulfillmentRequest(ctx context.Context, idempotencyKey string, in FulfillmentRequestInput) (FulfillmentRequest, error) {
	if idempotencyKey == "" {
		return FulfillmentRequest{}, ErrMissingIdempotencyKey
	}
	var out FulfillmentRequest
	err := c.do(ctx, call{
		method:         http.MethodPost,
		path:           "/v1/fulfillment-requests",
		idempotencyKey: idempotencyKey,
		in:             in,
		out:            &out,
	})
	return out, err
}
