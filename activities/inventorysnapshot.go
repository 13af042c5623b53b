package activities

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/shopflow/shopflow/shopify/admin"
)

// shopifyLevel is one inventory level of Shopify's side of a
// reconciliation, named as the ERP names it.
type shopifyLevel struct {
	sku, erpLocation   string
	itemID, locationID string // GIDs
	available          int
	updatedAt          time.Time
}

// snapshot is Shopify's side of a reconciliation: every tracked level at a
// location the ERP keeps, in SKU, then ERP location, order.
type snapshot struct {
	levels    []shopifyLevel
	locations []string // the ERP locations present, sorted
	// skipped counts levels left out: untracked items, items without SKU,
	// unmapped locations, and SKU and location pairs seen twice.
	skipped int
}

// snapshotBuilder collects levels in any order.
type snapshotBuilder struct {
	shop      string
	locations LocationMap
	s         snapshot
}

// add records one level of an item.
func (b *snapshotBuilder) add(itemID, sku string, tracked bool, locationID string, available int, updatedAt time.Time) {
	if !tracked || sku == "" {
		b.s.skipped++
		return
	}
	_, locNum, err := admin.ParseGID(locationID)
	if err != nil {
		b.s.skipped++
		return
	}
	wh, ok := b.locations.ERPLocation(b.shop, locNum)
	if !ok {
		b.s.skipped++
		return
	}
	b.s.levels = append(b.s.levels, shopifyLevel{sku: sku, erpLocation: wh, itemID: itemID, locationID: locationID, available: available, updatedAt: updatedAt})
}

// build sorts the levels and drops duplicate SKU and location pairs (two
// Shopify items sharing a SKU), which no correction could settle.
func (b *snapshotBuilder) build() snapshot {
	s := b.s
	slices.SortFunc(s.levels, func(x, y shopifyLevel) int {
		return cmp.Or(cmp.Compare(x.sku, y.sku), cmp.Compare(x.erpLocation, y.erpLocation), cmp.Compare(x.itemID, y.itemID))
	})
	out := s.levels[:0]
	seen := map[string]bool{}
	for i, l := range s.levels {
		if i > 0 && l.sku == s.levels[i-1].sku && l.erpLocation == s.levels[i-1].erpLocation {
			s.skipped++
			continue
		}
		out = append(out, l)
		if !seen[l.erpLocation] {
			seen[l.erpLocation] = true
			s.locations = append(s.locations, l.erpLocation)
		}
	}
	s.levels = out
	slices.Sort(s.locations)
	return s
}

// readPaged reads Shopify's side page by page through the cost-aware
// client; progress is called after every page.
func (a *Inventory) readPaged(ctx context.Context, c graphql.Client, shop string, progress func(items int)) (snapshot, error) {
	locs, err := admin.AllLocations(ctx, c, false)
	if err != nil {
		return snapshot{}, err
	}
	b := snapshotBuilder{shop: shop, locations: a.Locations}
	after, items := "", 0
	for {
		page, err := admin.InventorySnapshotPageAt(ctx, c, max(1, len(locs)), after)
		if err != nil {
			return snapshot{}, err
		}
		for _, it := range page.Nodes {
			for _, l := range it.InventoryLevels.Nodes {
				b.add(it.Id, it.Sku, it.Tracked, l.Location.Id, admin.AvailableOf(l.Quantities), l.UpdatedAt)
			}
		}
		items += len(page.Nodes)
		progress(items)
		if !page.PageInfo.HasNextPage {
			return b.build(), nil
		}
		after = page.PageInfo.EndCursor
	}
}

// bulkItem and bulkLevel are the rows of InventorySnapshotBulkQuery's
// result.
type bulkItem struct {
	ID      string `json:"id"`
	SKU     string `json:"sku"`
	Tracked bool   `json:"tracked"`
}

type bulkLevel struct {
	UpdatedAt time.Time `json:"updatedAt"`
	Location  struct {
		ID string `json:"id"`
	} `json:"location"`
	Quantities []admin.InventoryQuantity `json:"quantities"`
}

// readBulk reads Shopify's side from a completed bulk operation's JSONL
// file, streamed: a level's row may come before its item's, so levels wait
// for their item by parent ID.
func (a *Inventory) readBulk(ctx context.Context, url, shop string, progress func(rows int)) (snapshot, error) {
	body, err := admin.OpenBulkResult(ctx, nil, url)
	if err != nil {
		return snapshot{}, err
	}
	defer body.Close()
	items := map[string]bulkItem{}
	pending := map[string][]bulkLevel{}
	b := snapshotBuilder{shop: shop, locations: a.Locations}
	add := func(it bulkItem, l bulkLevel) {
		b.add(it.ID, it.SKU, it.Tracked, l.Location.ID, admin.AvailableOf(l.Quantities), l.UpdatedAt)
	}
	err = admin.ReadBulkJSONL(body, func(row admin.BulkRow) error {
		if row.Line%5000 == 0 {
			progress(row.Line)
		}
		if row.ParentID == "" {
			var it bulkItem
			if err := row.Decode(&it); err != nil {
				return fmt.Errorf("bulk result line %d: %w", row.Line, err)
			}
			items[it.ID] = it
			for _, l := range pending[it.ID] {
				add(it, l)
			}
			delete(pending, it.ID)
			return nil
		}
		var l bulkLevel
		if err := row.Decode(&l); err != nil {
			return fmt.Errorf("bulk result line %d: %w", row.Line, err)
		}
		if it, ok := items[row.ParentID]; ok {
			add(it, l)
		} else {
			pending[row.ParentID] = append(pending[row.ParentID], l)
		}
		return nil
	})
	if err != nil {
		return snapshot{}, err
	}
	for range pending {
		b.s.skipped++ // a level whose item never came: a partial file
	}
	return b.build(), nil
}

// inRange returns the indexes [lo, hi) of the snapshot's levels whose SKU
// lies in [from, to); to "" means no end.
func (s snapshot) inRange(from, to string) (int, int) {
	lo, _ := slices.BinarySearchFunc(s.levels, from, func(l shopifyLevel, sku string) int { return cmp.Compare(l.sku, sku) })
	hi := len(s.levels)
	if to != "" {
		hi, _ = slices.BinarySearchFunc(s.levels, to, func(l shopifyLevel, sku string) int { return cmp.Compare(l.sku, sku) })
	}
	return lo, max(lo, hi)
}
