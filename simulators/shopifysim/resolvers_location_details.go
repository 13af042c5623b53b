package shopifysim

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Location and inventory item fields beyond stock that Shopify's
// documentation examples read. Simulated locations are warehouses of
// the shop with a synthetic address; items carry no customs data.

// locationAddress is the location's synthetic address, numbered by its
// position so that locations differ.
func locationAddress(l *location) *gql.Object {
	street, unit := fmt.Sprintf("%d Warehouse Road", l.ID%1000), fmt.Sprintf("Unit %d", l.ID%100)
	return gql.Obj("LocationAddress", map[string]any{
		"address1": street, "address2": unit, "city": "Ottawa", "province": "Ontario", "provinceCode": "ON",
		"country": "Canada", "countryCode": "CA", "zip": "K1A0B1", "phone": nil,
		"latitude": nil, "longitude": nil,
		"formatted": []string{street + ", " + unit, "Ottawa ON K1A0B1", "Canada"},
	})
}

func init() {
	register("Location", map[string]resolver{
		"address":            field(func(l *location) any { return locationAddress(l) }),
		"fulfillmentService": field(func(*location) any { return nil }),
		"suggestedAddresses": field(func(*location) any { return []any{} }),
		"isPrimary": func(ec *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
			// The shop's first location is its primary one.
			return len(ec.sh.locations) > 0 && ec.sh.locations[0] == o.(*location), nil
		},
	})
	register("InventoryItem", map[string]resolver{
		"provinceCodeOfOrigin": field(func(*inventoryItem) any { return nil }),
		"inventoryHistoryUrl":  field(func(*inventoryItem) any { return nil }),
		"measurement": field(func(it *inventoryItem) any {
			// Seeded items weigh nothing, as a new item does on Shopify.
			return gql.Obj("InventoryItemMeasurement", map[string]any{
				"id":     gql.GID("InventoryItemMeasurement", it.ID),
				"weight": gql.Obj("Weight", map[string]any{"unit": "KILOGRAMS", "value": 0.0}),
			})
		}),
		"trackedEditable": field(func(*inventoryItem) any {
			return gql.Obj("EditableProperty", map[string]any{"locked": false, "reason": nil})
		}),
		"countryHarmonizedSystemCodes": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			// No customs data: an empty connection.
			return gql.Paginate(ec.Exec, []*inventoryItem(nil), func(it *inventoryItem) gql.SortKey { return gql.ByID(it.ID) }, args)
		},
	})
}
