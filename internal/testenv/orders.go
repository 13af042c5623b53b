package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

// SampleOrder returns Shopify's sample orders/create payload with the given
// order ID, and with the line items' SKUs replaced by skus when given.
func SampleOrder(t testing.TB, orderID int64, skus ...string) []byte {
	t.Helper()
	root, err := devserver.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "starter", "samples", "orders_create.json"))
	if err != nil {
		t.Fatal(err)
	}
	var order map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep Shopify's 64-bit IDs exact
	if err := dec.Decode(&order); err != nil {
		t.Fatal(err)
	}
	order["id"] = orderID
	order["admin_graphql_api_id"] = fmt.Sprintf("gid://shopify/Order/%d", orderID)
	order["name"] = fmt.Sprintf("#%d", orderID)
	if len(skus) > 0 {
		items := order["line_items"].([]any)
		for i, item := range items {
			item.(map[string]any)["sku"] = skus[i%len(skus)]
		}
	}
	body, err := json.Marshal(order)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// SampleSKUs are the SKUs of the sample order's line items.
var SampleSKUs = []string{"SKU2006-001", "LENS-PROTECT-2YR", "CASE-LEATHER-PREM", "SKU2006-020", "SKU2006-035"}

// SeedSampleProducts puts the sample order's products into the ERP, under
// made-up Shopify product IDs: the sample's line items share one product
// ID, so they resolve by SKU.
func SeedSampleProducts(t testing.TB, erp *erpsim.Server) {
	t.Helper()
	for i, sku := range SampleSKUs {
		if _, err := erp.PutProduct(erpsim.Product{SKU: sku, Name: "Sample " + sku, ShopifyProductID: int64(9000 + i)}); err != nil {
			t.Fatal(err)
		}
	}
}
