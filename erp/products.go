package erp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// LookupProduct finds the ERP product for a Shopify product and variant.
// An entry for exactly that variant wins; otherwise a product-level entry
// (variant 0) is used. With none it returns an error wrapping
// ErrProductNotFound.
func (c *Client) LookupProduct(ctx context.Context, shopifyProductID, shopifyVariantID int64) (Product, error) {
	// One request for all entries of the product, then pick locally, so the
	// fallback to the product-level entry costs no second round trip.
	var out struct {
		Products []Product `json:"products"`
	}
	err := c.do(ctx, call{
		method: http.MethodGet,
		path:   "/v1/products",
		query:  url.Values{"shopify_product_id": {strconv.FormatInt(shopifyProductID, 10)}},
		out:    &out,
	})
	if err != nil {
		return Product{}, err
	}
	if p, ok := pickProduct(out.Products, shopifyProductID, shopifyVariantID); ok {
		return p, nil
	}
	return Product{}, fmt.Errorf("%w: shopify product %d variant %d", ErrProductNotFound, shopifyProductID, shopifyVariantID)
}

// pickProduct applies the lookup rule: exact variant first, then the
// product-level entry. Entries of other products are ignored in case the
// server filtered loosely.
func pickProduct(products []Product, productID, variantID int64) (Product, bool) {
	var fallback *Product
	for i, p := range products {
		if p.ShopifyProductID != productID {
			continue
		}
		if p.ShopifyVariantID == variantID {
			return p, true
		}
		if p.ShopifyVariantID == 0 && fallback == nil {
			fallback = &products[i]
		}
	}
	if fallback != nil {
		return *fallback, true
	}
	return Product{}, false
}

// GetProduct returns the product with the SKU. A 404 comes back as an error
// matching both ErrProductNotFound and *APIError.
func (c *Client) GetProduct(ctx context.Context, sku string) (Product, error) {
	var p Product
	err := c.do(ctx, call{method: http.MethodGet, path: "/v1/products/" + url.PathEscape(sku), out: &p})
	return p, notFoundAsProduct(err)
}

// PutProduct creates or replaces the product master data for p.SKU and
// returns what the ERP stored.
func (c *Client) PutProduct(ctx context.Context, p Product) (Product, error) {
	var out Product
	err := c.do(ctx, call{method: http.MethodPut, path: "/v1/products/" + url.PathEscape(p.SKU), in: p, out: &out})
	return out, err
}

func notFoundAsProduct(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%w: %w", ErrProductNotFound, apiErr)
	}
	return err
}
