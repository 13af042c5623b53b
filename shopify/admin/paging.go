package admin

import (
	"context"
	"strings"

	"github.com/Khan/genqlient/graphql"
)

// MaxPageSize is the largest first: Shopify accepts on a connection.
const MaxPageSize = 250

// ProductsQuery selects a run of catalog pages.
type ProductsQuery struct {
	// Query is a Shopify search filter, e.g. "updated_at:>2026-01-01T00:00:00Z".
	Query string
	// VariantsFirst and MetafieldsFirst are how many variants and
	// metafields to read per product (defaults 10 and 10).
	VariantsFirst   int
	MetafieldsFirst int
	// MetafieldNamespace, if set, reads only that namespace's metafields.
	MetafieldNamespace string
	// First is the page size; 0 picks the largest whose requested cost
	// stays within MaxQueryCost.
	First int
}

func (q ProductsQuery) withDefaults() ProductsQuery {
	if q.VariantsFirst <= 0 {
		q.VariantsFirst = 10
	}
	if q.MetafieldsFirst <= 0 {
		q.MetafieldsFirst = 10
	}
	if q.First <= 0 {
		// One product: itself, its variants connection (each variant and
		// its inventory item) and its metafields connection, with pageInfos.
		per := 1 + (2 + 2*q.VariantsFirst + 1) + (2 + q.MetafieldsFirst + 1)
		q.First = pageSize(per)
	}
	q.First = min(q.First, MaxPageSize)
	return q
}

// pageSize is the largest page of nodes costing per points each whose
// connection stays within MaxQueryCost.
func pageSize(per int) int {
	n := (MaxQueryCost - 3) / per
	return max(1, min(n, MaxPageSize))
}

// ProductsPageAt reads one page of products after the cursor ("" for the
// first page). It suits an activity that reads a page per call and keeps
// the cursor in the workflow.
func ProductsPageAt(ctx context.Context, c graphql.Client, q ProductsQuery, after string) (*ProductsPage, error) {
	q = q.withDefaults()
	resp, err := Products(ctx, c, q.First, after, q.Query, q.VariantsFirst, q.MetafieldsFirst, q.MetafieldNamespace)
	if err != nil {
		return nil, err
	}
	return &resp.Products, nil
}

// EachProductsPage reads pages of products from the cursor after ("" for
// the start) and calls fn with each, until the last page or fn's error.
func EachProductsPage(ctx context.Context, c graphql.Client, q ProductsQuery, after string, fn func(*ProductsPage) error) error {
	return eachPage(after, func(after string) (PageInfo, error) {
		p, err := ProductsPageAt(ctx, c, q, after)
		if err != nil {
			return PageInfo{}, err
		}
		return p.PageInfo, fn(p)
	})
}

// eachPage calls page with the cursor after, then with each page's end
// cursor, until page fails or reports the last page. page returns the
// PageInfo of the page it read.
func eachPage(after string, page func(after string) (PageInfo, error)) error {
	for {
		pi, err := page(after)
		if err != nil {
			return err
		}
		// An empty cursor would start over from the first page.
		if !pi.HasNextPage || pi.EndCursor == "" {
			return nil
		}
		after = pi.EndCursor
	}
}

// OrdersQuery selects a run of order pages.
type OrdersQuery struct {
	// Query is the Shopify search filter, normally
	// "updated_at:>=" + t.Format(time.RFC3339); see UpdatedSince.
	Query string
	// LineItemsFirst is how many line items to read per order (default 50).
	LineItemsFirst int
	// First is the page size; 0 picks the largest within MaxQueryCost.
	First int
}

// UpdatedSince returns the search filter for objects updated at or after t
// (an RFC 3339 time, as Shopify's search syntax takes).
func UpdatedSince(t string) string { return "updated_at:>='" + t + "'" }

func (q OrdersQuery) withDefaults() OrdersQuery {
	if q.LineItemsFirst <= 0 {
		q.LineItemsFirst = 50
	}
	if q.First <= 0 {
		// The order, its price set and money, its line items (each with
		// its variant) and their pageInfo.
		q.First = pageSize(1 + 2 + (2 + 2*q.LineItemsFirst + 1))
	}
	q.First = min(q.First, MaxPageSize)
	return q
}

// OrdersPageAt reads one page of orders after the cursor.
func OrdersPageAt(ctx context.Context, c graphql.Client, q OrdersQuery, after string) (*OrdersPage, error) {
	q = q.withDefaults()
	resp, err := OrdersUpdatedSince(ctx, c, q.First, after, q.Query, q.LineItemsFirst)
	if err != nil {
		return nil, err
	}
	return &resp.Orders, nil
}

// EachOrdersPage reads pages of orders from the cursor after and calls fn
// with each, until the last page or fn's error.
func EachOrdersPage(ctx context.Context, c graphql.Client, q OrdersQuery, after string, fn func(*OrdersPage) error) error {
	return eachPage(after, func(after string) (PageInfo, error) {
		p, err := OrdersPageAt(ctx, c, q, after)
		if err != nil {
			return PageInfo{}, err
		}
		return p.PageInfo, fn(p)
	})
}

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

// EachWebhookSubscription calls fn with every subscription of the shop
// (of the given topics only, if any).
func EachWebhookSubscription(ctx context.Context, c graphql.Client, topics []WebhookSubscriptionTopic, fn func(WebhookSubscriptionFields) error) error {
	return eachPage("", func(after string) (PageInfo, error) {
		resp, err := WebhookSubscriptions(ctx, c, 100, after, topics)
		if err != nil {
			return PageInfo{}, err
		}
		p := resp.WebhookSubscriptions
		for _, s := range p.Nodes {
			if err := fn(s.WebhookSubscriptionFields); err != nil {
				return PageInfo{}, err
			}
		}
		return p.PageInfo, nil
	})
}
