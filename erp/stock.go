package erp

import (
	"context"
	"net/http"
	"net/url"
)

// StockLevels returns the SKU's stock at every location; an empty slice if
// the ERP has none.
func (c *Client) StockLevels(ctx context.Context, sku string) ([]StockLevel, error) {
	var out struct {
		Levels []StockLevel `json:"levels"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/v1/stock", query: url.Values{"sku": {sku}}, out: &out})
	if err != nil {
		return nil, err
	}
	if out.Levels == nil {
		out.Levels = []StockLevel{}
	}
	return out.Levels, nil
}

// SetStock sets the quantity of a SKU available at a location.
func (c *Client) SetStock(ctx context.Context, sku, location string, available int) (StockLevel, error) {
	var out StockLevel
	err := c.do(ctx, call{
		method: http.MethodPut,
		path:   "/v1/stock/" + url.PathEscape(sku) + "/" + url.PathEscape(location),
		in: struct {
			Available int `json:"available"`
		}{available},
		out: &out,
	})
	return out, err
}
