package erpsim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// PutProduct upserts product master data, as PUT /v1/products/{sku} does.
// Tests use it to seed the ERP.
func (s *Server) PutProduct(p Product) (Product, error) {
	if problems := validateProduct(p); len(problems) > 0 {
		return Product{}, fmt.Errorf("erpsim: invalid product: %v", problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products[p.SKU] = p
	return p, nil
}

func (s *Server) handlePutProduct(r *http.Request, body []byte) response {
	var p Product
	if errResp := decodeJSON(body, &p); errResp != nil {
		return *errResp
	}
	sku := r.PathValue("sku")
	if p.SKU == "" {
		p.SKU = sku
	}
	if p.SKU != sku {
		return validationError([]string{"sku in the body differs from the sku in the path"})
	}
	if problems := validateProduct(p); len(problems) > 0 {
		return validationError(problems)
	}
	s.mu.Lock()
	s.products[p.SKU] = p
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, p)
}

func (s *Server) handleGetProduct(r *http.Request, _ []byte) response {
	sku := r.PathValue("sku")
	s.mu.Lock()
	p, ok := s.products[sku]
	s.mu.Unlock()
	if !ok {
		return errorResponse(http.StatusNotFound, CodeNotFound, "no product with sku "+strconv.Quote(sku))
	}
	return jsonResponse(http.StatusOK, p)
}

// handleListProducts filters by Shopify product and, if given, exactly by
// variant. Choosing between a variant entry and a product-level one is the
// client's job.
func (s *Server) handleListProducts(r *http.Request, _ []byte) response {
	q := r.URL.Query()
	productID, err := strconv.ParseInt(q.Get("shopify_product_id"), 10, 64)
	if err != nil || productID <= 0 {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "shopify_product_id must be a positive integer")
	}
	variantID := int64(-1) // any
	if v := q.Get("shopify_variant_id"); v != "" {
		variantID, err = strconv.ParseInt(v, 10, 64)
		if err != nil || variantID < 0 {
			return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "shopify_variant_id must be a non-negative integer")
		}
	}
	s.mu.Lock()
	found := []Product{}
	for _, p := range s.products {
		if p.ShopifyProductID == productID && (variantID < 0 || p.ShopifyVariantID == variantID) {
			found = append(found, p)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(found, func(a, b Product) int { return cmp.Compare(a.SKU, b.SKU) })
	return jsonResponse(http.StatusOK, map[string][]Product{"products": found})
}
