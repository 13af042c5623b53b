package shopifysim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestProjectOperations runs every operation shopflow sends (genqlient's
// operations.json) against the simulator: each must validate, and the
// ones with known variables must execute without errors.
func TestProjectOperations(t *testing.T) {
	path := filepath.Join("..", "..", "shopify", "admin", "operations", "operations.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("genqlient's operation list is missing (run go generate ./shopify/...): %v", err)
	}
	var file struct {
		Operations []struct {
			OperationName string `json:"operationName"`
			Query         string `json:"query"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *Config) { c.Shops[0].Plan = PlanPlus })
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 20, VariantsPerProduct: 2, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	cat, _ := e.sim.Catalog(testShop)
	locs, _ := e.sim.Locations(testShop)
	e.sim.CreateOrder(testShop, OrderInput{LineItems: []LineItemInput{{VariantID: cat[0].Variants[0].ID, Quantity: 1}}})
	item := cat[0].Variants[0].InventoryItemID
	q, _ := e.sim.Quantities(testShop, item, locs[0].ID)

	vars := map[string]map[string]any{
		"Products":  {"first": 5, "variantsFirst": 3, "metafieldsFirst": 3, "query": "updated_at:>=2020-01-01T00:00:00Z"},
		"Product":   {"id": cat[0].ID, "variantsFirst": 3, "metafieldsFirst": 3},
		"Locations": {"first": 10, "includeInactive": false},
		"InventoryLevels": {"first": 5, "query": "sku:SKU-000001-1 OR sku:SKU-000002-1", "locationsFirst": 5,
			"names": []any{"available", "on_hand"}},
		"LocationInventoryLevels": {"locationId": locs[0].ID, "first": 10, "names": []any{"available"}},
		"InventorySetQuantities": {"key": "ops-test", "input": map[string]any{
			"name": "available", "reason": "correction",
			"quantities": []any{map[string]any{"inventoryItemId": item, "locationId": locs[0].ID,
				"quantity": 11, "changeFromQuantity": q["available"]}},
		}},
		"MetafieldsSet": {"metafields": []any{map[string]any{"ownerId": cat[0].ID, "namespace": "shopflow",
			"key": "erp_id", "type": "single_line_text_field", "value": "E-1"}}},
		"MetafieldsDelete":          {"metafields": []any{map[string]any{"ownerId": cat[0].ID, "namespace": "shopflow", "key": "erp_id"}}},
		"OrdersUpdatedSince":        {"first": 10, "query": "updated_at:>=2020-01-01T00:00:00Z", "lineItemsFirst": 5},
		"WebhookSubscriptionCreate": {"topic": "ORDERS_CREATE", "webhookSubscription": map[string]any{"uri": "http://127.0.0.1:1/hook"}},
		"WebhookSubscriptions":      {"first": 10},
		"BulkOperationRunQuery":     {"query": `{ products { edges { node { id variants { edges { node { id sku } } } } } } }`},
		"BulkOperation":             {"id": "gid://shopify/BulkOperation/1"},
		"ProductsWithMetafields":    {"first": 5, "namespace": "shopflow", "metafieldsFirst": 3},
		"ProductsCount":             {"query": "status:active"},
		"ProductVariantsCount":      {},
		"OrdersToReconcile":         {"first": 3, "query": "updated_at:>=2020-01-01T00:00:00Z"},
		"InventoryLevelAt":          {"id": item, "locationId": locs[0].ID},
		"InventorySnapshot":         {"first": 5, "locationsFirst": 3},
	}
	for _, op := range file.Operations {
		t.Run(op.OperationName, func(t *testing.T) {
			if _, errs := adminEngine().Load(op.Query); len(errs) > 0 {
				t.Fatalf("does not validate: %v", errs)
			}
			v, ok := vars[op.OperationName]
			if !ok {
				t.Fatalf("no sample variables for operation %s: add them to vars above, so that it is exercised", op.OperationName)
			}
			body, _ := json.Marshal(v)
			var m map[string]any
			json.Unmarshal(body, &m)
			r := e.gql(t, op.Query, m)
			mustNoErrors(t, r)
			if r.Extensions.Cost.ActualQueryCost == nil {
				t.Errorf("no actual cost: %s", r.Raw)
			}
		})
	}
}
