package erp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ProductMaster is the ERP's product master data for one Shopify product:
// the attributes customs and product pages need, kept at product level
// (every variant shares them). Empty means the ERP does not know.
type ProductMaster struct {
	ShopifyProductID int64  `json:"shopify_product_id"`
	Material         string `json:"material,omitempty"`
	// CountryOfOrigin is an ISO 3166-1 alpha-2 code, e.g. "PT".
	CountryOfOrigin string `json:"country_of_origin,omitempty"`
	// HSCode is the Harmonized System code, digits with optional dots,
	// e.g. "6109.10"; a string, as its leading zeros matter.
	HSCode string `json:"hs_code,omitempty"`
}

// MaxProductMasterLookup is how many Shopify products one
// ProductMasters call may ask for.
const MaxProductMasterLookup = 250

// ProductMasters returns the product master data of the given Shopify
// products, keyed by Shopify product ID; products the ERP does not know
// are absent. At most MaxProductMasterLookup IDs per call.
func (c *Client) ProductMasters(ctx context.Context, shopifyProductIDs []int64) (map[int64]ProductMaster, error) {
	out := map[int64]ProductMaster{}
	if len(shopifyProductIDs) == 0 {
		return out, nil
	}
	ids := make([]string, len(shopifyProductIDs))
	for i, id := range shopifyProductIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	var body struct {
		Products []ProductMaster `json:"products"`
	}
	err := c.do(ctx, call{
		method: http.MethodGet,
		path:   "/v1/product-master",
		query:  url.Values{"shopify_product_ids": {strings.Join(ids, ",")}},
		out:    &body,
	})
	if err != nil {
		return nil, err
	}
	for _, p := range body.Products {
		out[p.ShopifyProductID] = p
	}
	return out, nil
}

// PutProductMaster creates or replaces the product master data of
// p.ShopifyProductID and returns what the ERP stored.
func (c *Client) PutProductMaster(ctx context.Context, p ProductMaster) (ProductMaster, error) {
	var out ProductMaster
	err := c.do(ctx, call{
		method: http.MethodPut,
		path:   "/v1/product-master/" + strconv.FormatInt(p.ShopifyProductID, 10),
		in:     p, out: &out,
	})
	return out, err
}
