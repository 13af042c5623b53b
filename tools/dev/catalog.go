package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

// mirrorCatalog copies the Shopify simulator's seeded catalog into the ERP's
// product master, one ERP product per variant, so that orders created in
// the Shopify simulator sync to the ERP out of the box.
func mirrorCatalog(ctx context.Context, shopifyURL, erpURL, shop string) (int, error) {
	if err := waitHealthy(ctx, shopifyURL+"/sim/healthz"); err != nil {
		return 0, err
	}
	if err := waitHealthy(ctx, erpURL+"/healthz"); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, shopifyURL+"/sim/shops/"+shop+"/products", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var catalog struct {
		Products []shopifysim.Product `json:"products"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&catalog); err != nil {
		return 0, fmt.Errorf("reading the Shopify simulator's catalog: %w", err)
	}
	client := erp.New(erpURL, nil)
	n := 0
	for _, p := range catalog.Products {
		_, productID, err := admin.ParseGID(p.ID)
		if err != nil {
			return n, err
		}
		for _, v := range p.Variants {
			_, variantID, err := admin.ParseGID(v.ID)
			if err != nil {
				return n, err
			}
			_, err = client.PutProduct(ctx, erp.Product{
				SKU: v.SKU, Name: p.Title, ShopifyProductID: productID, ShopifyVariantID: variantID,
			})
			if err != nil {
				return n, fmt.Errorf("putting %s into the ERP: %w", v.SKU, err)
			}
			n++
		}
	}
	return n, nil
}

// waitHealthy polls url until it answers 200.
func waitHealthy(ctx context.Context, url string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not become healthy", url)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
