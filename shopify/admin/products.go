package admin

import (
	"context"

	"github.com/Khan/genqlient/graphql"
)

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
