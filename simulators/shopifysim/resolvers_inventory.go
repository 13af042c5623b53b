package shopifysim

import (
	"fmt"
	"slices"
	"sort"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

func itemMatcher(it *inventoryItem) gql.TermMatcher {
	return func(t gql.SearchTerm) (bool, bool) {
		switch t.Field {
		case "id":
			return gql.CompareInt(t, it.ID), true
		case "sku":
			return gql.MatchText(t, it.Variant.SKU), true
		case "updated_at":
			return gql.CompareTime(t, it.UpdatedAt), true
		case "created_at":
			return gql.CompareTime(t, it.CreatedAt), true
		case "":
			return gql.MatchText(t, it.Variant.SKU), true
		}
		return false, false
	}
}

// allItems lists inventory items in id order. Callers hold mu.
func (sh *shop) allItems() []*inventoryItem {
	out := make([]*inventoryItem, 0, len(sh.itemByID))
	for _, it := range sh.itemByID {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func quantityObjects(l *inventoryLevel, names []string) (any, error) {
	out := make([]any, 0, len(names))
	for _, n := range names {
		if !validQuantityName(n) {
			return nil, gql.Errorf("BAD_REQUEST", "The quantity name '%s' is not valid. Valid names are: %v", n, quantityNames)
		}
		out = append(out, gql.Obj("InventoryQuantity", map[string]any{
			"id":        fmt.Sprintf("gid://shopify/InventoryQuantity/%d?inventory_item_id=%d&name=%s", l.ID, l.Item.ID, n),
			"name":      n,
			"quantity":  l.Quantities[n],
			"updatedAt": l.UpdatedAt,
		}))
	}
	return out, nil
}

func levelsOf(ec *execCtx, levels []*inventoryLevel, args map[string]any) (any, error) {
	var out []*inventoryLevel
	includeInactive := gql.ArgBool(args, "includeInactive")
	for _, l := range levels {
		if l.Location.Active || includeInactive {
			out = append(out, l)
		}
	}
	return gql.Paginate(ec.Exec, out, func(l *inventoryLevel) gql.SortKey { return gql.ByID(l.ID) }, args)
}

func init() {
	register("QueryRoot", map[string]resolver{
		"locations": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := gql.ParseSearch(gql.ArgString(args, "query"))
			var out []*location
			for _, l := range ec.sh.locations {
				if !l.Active && !gql.ArgBool(args, "includeInactive") {
					continue
				}
				m := func(t gql.SearchTerm) (bool, bool) {
					switch t.Field {
					case "name", "":
						return gql.MatchText(t, l.Name), true
					case "id":
						return gql.CompareInt(t, l.ID), true
					}
					return false, false
				}
				if q.Matches(m) {
					out = append(out, l)
				}
			}
			key := func(l *location) gql.SortKey { return gql.ByID(l.ID) }
			if sk := gql.ArgString(args, "sortKey"); sk == "NAME" || sk == "" {
				rank := map[int64]int64{}
				byName := slices.Clone(ec.sh.locations)
				slices.SortStableFunc(byName, func(a, b *location) int {
					if a.Name < b.Name {
						return -1
					} else if a.Name > b.Name {
						return 1
					}
					return 0
				})
				for i, l := range byName {
					rank[l.ID] = int64(i)
				}
				key = func(l *location) gql.SortKey { return gql.SortKey{Value: rank[l.ID], ID: l.ID} }
			}
			return gql.Paginate(ec.Exec, gql.SortedBy(out, nil, nil, key, false), key, args)
		},
		"location": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			s := gql.ArgString(args, "id")
			if s == "" {
				if len(ec.sh.locations) == 0 {
					return nil, nil
				}
				return ec.sh.locations[0], nil
			}
			id, _ := gql.ParseID(s, "Location")
			return ec.sh.locByID[id], nil
		},
		"inventoryItems": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			items := gql.SortedBy(ec.sh.allItems(), gql.ParseSearch(gql.ArgString(args, "query")), itemMatcher,
				func(it *inventoryItem) gql.SortKey { return gql.ByID(it.ID) }, true)
			return gql.Paginate(ec.Exec, items, func(it *inventoryItem) gql.SortKey { return gql.ByID(it.ID) }, args)
		},
		"inventoryItem": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "InventoryItem")
			return ec.sh.itemByID[id], nil
		},
		"inventoryLevel": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "InventoryLevel")
			return ec.sh.levelByID[id], nil
		},
	})

	register("Location", map[string]resolver{
		"id":                   field(func(l *location) any { return gql.GID("Location", l.ID) }),
		"legacyResourceId":     field(func(l *location) any { return l.ID }),
		"name":                 field(func(l *location) any { return l.Name }),
		"isActive":             field(func(l *location) any { return l.Active }),
		"activatable":          field(func(l *location) any { return !l.Active }),
		"deactivatable":        field(func(l *location) any { return l.Active }),
		"deletable":            field(func(*location) any { return false }),
		"fulfillsOnlineOrders": field(func(l *location) any { return l.Active }),
		"shipsInventory":       field(func(l *location) any { return l.Active }),
		"hasActiveInventory":   field(func(*location) any { return true }),
		"isFulfillmentService": field(func(*location) any { return false }),
		"addressVerified":      field(func(*location) any { return true }),
		"createdAt":            field(func(l *location) any { return l.CreatedAt }),
		"updatedAt":            field(func(l *location) any { return l.UpdatedAt }),
		"deactivatedAt":        field(func(*location) any { return nil }),
		"inventoryLevels": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			l := o.(*location)
			var levels []*inventoryLevel
			for _, it := range ec.sh.allItems() {
				for _, lv := range it.Levels {
					if lv.Location == l {
						levels = append(levels, lv)
					}
				}
			}
			return levelsOf(ec, levels, args)
		},
		"inventoryLevel": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "inventoryItemId"), "InventoryItem")
			if it := ec.sh.itemByID[id]; it != nil {
				for _, lv := range it.Levels {
					if lv.Location == o.(*location) {
						return lv, nil
					}
				}
			}
			return nil, nil
		},
	})

	register("InventoryItem", map[string]resolver{
		"id":                   field(func(it *inventoryItem) any { return gql.GID("InventoryItem", it.ID) }),
		"legacyResourceId":     field(func(it *inventoryItem) any { return it.ID }),
		"sku":                  field(func(it *inventoryItem) any { return it.Variant.SKU }),
		"tracked":              field(func(it *inventoryItem) any { return it.Tracked }),
		"requiresShipping":     field(func(*inventoryItem) any { return true }),
		"duplicateSkuCount":    field(func(*inventoryItem) any { return 0 }),
		"createdAt":            field(func(it *inventoryItem) any { return it.CreatedAt }),
		"updatedAt":            field(func(it *inventoryItem) any { return it.UpdatedAt }),
		"locationsCount":       field(func(it *inventoryItem) any { return countObj(len(it.Levels)) }),
		"unitCost":             field(func(*inventoryItem) any { return nil }),
		"harmonizedSystemCode": field(func(*inventoryItem) any { return nil }),
		"countryCodeOfOrigin":  field(func(*inventoryItem) any { return nil }),
		"inventoryLevels": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return levelsOf(ec, o.(*inventoryItem).Levels, args)
		},
		"inventoryLevel": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "locationId"), "Location")
			for _, lv := range o.(*inventoryItem).Levels {
				if lv.Location.ID == id {
					return lv, nil
				}
			}
			return nil, nil
		},
		"variant": field(func(it *inventoryItem) any { return it.Variant }),
		"variants": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return gql.Paginate(ec.Exec, []*variant{o.(*inventoryItem).Variant}, func(v *variant) gql.SortKey { return gql.ByID(v.ID) }, args)
		},
	})

	register("InventoryLevel", map[string]resolver{
		"id":                field(func(l *inventoryLevel) any { return l.gid() }),
		"isActive":          field(func(l *inventoryLevel) any { return l.Location.Active }),
		"canDeactivate":     field(func(*inventoryLevel) any { return true }),
		"createdAt":         field(func(l *inventoryLevel) any { return l.CreatedAt }),
		"updatedAt":         field(func(l *inventoryLevel) any { return l.UpdatedAt }),
		"item":              field(func(l *inventoryLevel) any { return l.Item }),
		"location":          field(func(l *inventoryLevel) any { return l.Location }),
		"deactivationAlert": field(func(*inventoryLevel) any { return nil }),
		"quantities": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return quantityObjects(o.(*inventoryLevel), gql.ArgStrings(args, "names"))
		},
	})

	register("InventoryAdjustmentGroup", map[string]resolver{
		"id":                   field(func(g *adjustmentGroup) any { return gql.GID("InventoryAdjustmentGroup", g.ID) }),
		"createdAt":            field(func(g *adjustmentGroup) any { return g.CreatedAt }),
		"reason":               field(func(g *adjustmentGroup) any { return inventoryReasonLabel(g.Reason) }),
		"referenceDocumentUri": field(func(g *adjustmentGroup) any { return nilIfEmpty(g.RefURI) }),
		"app":                  field(func(*adjustmentGroup) any { return nil }),
		"staffMember":          field(func(*adjustmentGroup) any { return nil }),
		"changes": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			items, locs, names := gql.ArgStrings(args, "inventoryItemIds"), gql.ArgStrings(args, "locationIds"), gql.ArgStrings(args, "quantityNames")
			var out []any
			for _, c := range o.(*adjustmentGroup).Changes {
				if len(items) > 0 && !slices.Contains(items, gql.GID("InventoryItem", c.Item.ID)) ||
					len(locs) > 0 && !slices.Contains(locs, gql.GID("Location", c.Location.ID)) ||
					len(names) > 0 && !slices.Contains(names, c.Name) {
					continue
				}
				out = append(out, gql.Obj("InventoryChange", map[string]any{
					"name": c.Name, "delta": c.Delta, "quantityAfterChange": nil, // Shopify returns null here
					"item": c.Item, "location": c.Location, "ledgerDocumentUri": nilIfEmpty(c.Ledger),
				}))
			}
			return out, nil
		},
	})
}
