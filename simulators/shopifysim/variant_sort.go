package shopifysim

import (
	"slices"
	"strings"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// variantSortKey orders productVariants by its sortKey argument
// (ProductVariantSortKeys). Text keys sort by rank among items, since
// cursors carry a number. INVENTORY_LEVELS_AVAILABLE sorts by the
// quantity available at the location the query's location_id names.
func variantSortKey(items []*variant, args map[string]any, q gql.SearchQuery) func(*variant) gql.SortKey {
	byValue := func(val func(*variant) int64) func(*variant) gql.SortKey {
		return func(v *variant) gql.SortKey { return gql.SortKey{Value: val(v), ID: v.ID} }
	}
	byText := func(text func(*variant) string) func(*variant) gql.SortKey {
		sorted := slices.Clone(items)
		slices.SortStableFunc(sorted, func(a, b *variant) int { return strings.Compare(text(a), text(b)) })
		rank := make(map[*variant]int64, len(sorted))
		for i, v := range sorted {
			if i > 0 && text(v) == text(sorted[i-1]) {
				rank[v] = rank[sorted[i-1]]
			} else {
				rank[v] = int64(i)
			}
		}
		return byValue(func(v *variant) int64 { return rank[v] })
	}
	switch gql.ArgString(args, "sortKey") {
	case "UPDATED_AT":
		return byValue(func(v *variant) int64 { return v.UpdatedAt.UnixNano() })
	case "POSITION":
		return byValue(func(v *variant) int64 { return int64(v.Position) })
	case "INVENTORY_QUANTITY":
		return byValue(func(v *variant) int64 { return int64(v.available()) })
	case "INVENTORY_LEVELS_AVAILABLE":
		loc := locationInQuery(q)
		return byValue(func(v *variant) int64 {
			for _, l := range v.Item.Levels {
				if l.Location.ID == loc {
					return int64(l.Quantities["available"])
				}
			}
			return 0
		})
	case "SKU":
		return byText(func(v *variant) string { return strings.ToLower(v.SKU) })
	case "TITLE", "NAME", "FULL_TITLE":
		return byText(func(v *variant) string { return strings.ToLower(v.Product.Title + " - " + v.Title) })
	}
	return func(v *variant) gql.SortKey { return gql.ByID(v.ID) }
}

// locationInQuery is the location id a search query's location_id term
// names, or 0.
func locationInQuery(q gql.SearchQuery) int64 {
	var id int64
	for _, conj := range q {
		for _, t := range conj {
			if t.Field == "location_id" {
				if n, ok := gql.ParseID(t.Value, "Location"); ok {
					id = n
				}
			}
		}
	}
	return id
}
