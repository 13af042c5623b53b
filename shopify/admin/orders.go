package admin

import (
	"context"

	"github.com/Khan/genqlient/graphql"
)

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
