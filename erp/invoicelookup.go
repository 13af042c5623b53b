package erp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// InvoicesOf returns the invoices the ERP holds for a Shopify order; an
// empty slice if it was never invoiced.
func (c *Client) InvoicesOf(ctx context.Context, shop string, orderID int64) ([]Invoice, error) {
	var out struct {
		Invoices []Invoice `json:"invoices"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/v1/invoices",
		query: url.Values{"shop": {shop}, "order_id": {strconv.FormatInt(orderID, 10)}}, out: &out})
	if out.Invoices == nil {
		out.Invoices = []Invoice{}
	}
	return out.Invoices, err
}
