package admin

import (
	"context"
	"strings"

	"github.com/Khan/genqlient/graphql"
)

// InventoryItemsQuery returns the search filter selecting the inventory
// items with the given GIDs ("gid://shopify/InventoryItem/1") or numeric
// ids, for InventoryLevels.
func InventoryItemsQuery(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "id:" + id[strings.LastIndexByte(id, '/')+1:]
	}
	return strings.Join(parts, " OR ")
}

// QuantityAvailable and QuantityOnHand are the quantity names that
// InventoryLevels and SetInventoryQuantities deal in.
const (
	QuantityAvailable = "available"
	QuantityOnHand    = "on_hand"
)

// InventoryLevelsOf reads the named quantities (default "available" and
// "on_hand") of the inventory items with the given ids at up to
// locationsFirst locations each (default 10), all pages.
func InventoryLevelsOf(ctx context.Context, c graphql.Client, ids []string, locationsFirst int, names ...string) ([]InventoryItemLevels, error) {
	if len(names) == 0 {
		names = []string{QuantityAvailable, QuantityOnHand}
	}
	if locationsFirst <= 0 {
		locationsFirst = 10
	}
	if len(ids) == 0 {
		return nil, nil
	}
	first := min(len(ids), pageSize(1+2+locationsFirst*(1+1+len(names))+1))
	var out []InventoryItemLevels
	err := eachPage("", func(after string) (PageInfo, error) {
		resp, err := InventoryLevels(ctx, c, first, after, InventoryItemsQuery(ids), locationsFirst, names)
		if err != nil {
			return PageInfo{}, err
		}
		out = append(out, resp.InventoryItems.Nodes...)
		return resp.InventoryItems.PageInfo, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AllLocations lists every location (active only unless includeInactive).
func AllLocations(ctx context.Context, c graphql.Client, includeInactive bool) ([]Location, error) {
	var out []Location
	err := eachPage("", func(after string) (PageInfo, error) {
		resp, err := Locations(ctx, c, MaxPageSize, after, includeInactive)
		if err != nil {
			return PageInfo{}, err
		}
		out = append(out, resp.Locations.Nodes...)
		return resp.Locations.PageInfo, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
