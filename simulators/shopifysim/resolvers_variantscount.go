package shopifysim

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// productVariantsCount tells how many variants, hence inventory items, a
// shop has: what a reconciler asks to choose between paging and a bulk
// query. Shopify caps the count at limit (default 10,000; null for none),
// reporting AT_LEAST beyond it.
func init() {
	register("QueryRoot", map[string]resolver{
		"productVariantsCount": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			n := len(ec.sh.variantByID)
			limit, limited := 10000, true
			if v, present := args["limit"]; present {
				if l, ok := gql.ToInt(v); ok {
					limit = l
				} else {
					limited = v != nil
				}
			}
			if limited && n > limit {
				o := countObj(limit)
				o.Fields["precision"] = "AT_LEAST"
				return o, nil
			}
			return countObj(n), nil
		},
	})
}
