package admin

import (
	"context"

	"github.com/Khan/genqlient/graphql"
)

// InventorySnapshotPageAt reads one page of every inventory item with its
// available quantity at up to locationsFirst locations (default 10), after
// the cursor, in pages as large as MaxQueryCost allows.
func InventorySnapshotPageAt(ctx context.Context, c graphql.Client, locationsFirst int, after string) (*InventorySnapshotPage, error) {
	if locationsFirst <= 0 {
		locationsFirst = 10
	}
	// The item, its levels connection and, per level, the level, its
	// location and its quantities.
	first := pageSize(1 + 2 + locationsFirst*3 + 1)
	resp, err := InventorySnapshot(ctx, c, first, after, locationsFirst)
	if err != nil {
		return nil, err
	}
	return &resp.InventoryItems, nil
}

// InventorySnapshotBulkQuery is InventorySnapshot as a bulk query: each
// item is a JSONL row and each of its levels a row of its own carrying
// the item's id in __parentId (BulkRow.ParentID).
const InventorySnapshotBulkQuery = `{
  inventoryItems {
    edges {
      node {
        id
        sku
        tracked
        inventoryLevels {
          edges {
            node {
              updatedAt
              location { id }
              quantities(names: ["available"]) { name quantity }
            }
          }
        }
      }
    }
  }
}`

// AvailableOf returns the "available" quantity among quantities, 0 if it
// is missing.
func AvailableOf(quantities []InventoryQuantity) int {
	for _, q := range quantities {
		if q.Name == QuantityAvailable {
			return q.Quantity
		}
	}
	return 0
}

// InventoryLevelOf reads an inventory item's SKU and its level at a
// location (nil if the item is not stocked there); nil if there is no
// such item.
func InventoryLevelOf(ctx context.Context, c graphql.Client, inventoryItemID, locationID string) (*InventoryItemAt, error) {
	resp, err := InventoryLevelAt(ctx, c, inventoryItemID, locationID)
	if err != nil {
		return nil, err
	}
	return resp.InventoryItem, nil
}
