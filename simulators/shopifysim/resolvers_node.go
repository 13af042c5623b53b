package shopifysim

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// node finds any object by GID. Callers hold mu.
func (sh *shop) node(id string) any {
	rest, ok := strings.CutPrefix(id, "gid://shopify/")
	if !ok {
		return nil
	}
	typ, _, _ := strings.Cut(rest, "/")
	n, ok := gql.ParseID(id, typ)
	if !ok {
		return nil
	}
	var v any
	switch typ {
	case "Product":
		v = sh.productByID[n]
	case "ProductVariant":
		v = sh.variantByID[n]
	case "InventoryItem":
		v = sh.itemByID[n]
	case "InventoryLevel":
		v = sh.levelByID[n]
	case "Location":
		v = sh.locByID[n]
	case "Order":
		v = sh.orderByID[n]
	case "Customer":
		v = sh.customers[n]
	case "Metafield":
		v = sh.metafields[n]
	case "InventoryAdjustmentGroup":
		v = sh.adjGroups[n]
	case "BulkOperation":
		v = sh.bulkByID(n)
	case "ProductSetOperation", "ProductDeleteOperation":
		v = sh.productOperationNode(typ, n)
	case "Shop":
		if gql.GID("Shop", n) == shopGID(sh) {
			v = sh
		}
	case "WebhookSubscription":
		for _, s := range sh.subs {
			if s.ID == n {
				v = s
			}
		}
	}
	if gql.IsNil(v) {
		return nil
	}
	return v
}

func init() {
	register("QueryRoot", map[string]resolver{
		"node": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			return ec.sh.node(gql.ArgString(args, "id")), nil
		},
		"nodes": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			ids := gql.ArgStrings(args, "ids")
			if len(ids) > 250 {
				return nil, gql.Errorf("MAX_INPUT_SIZE_EXCEEDED", "The input array size of %d is greater than the maximum allowed of 250.", len(ids))
			}
			out := make([]any, len(ids))
			for i, id := range ids {
				out[i] = ec.sh.node(id)
			}
			return out, nil
		},
		"shop": func(ec *execCtx, _ any, _ *ast.Field, _ map[string]any) (any, error) {
			return ec.sh, nil
		},
	})
	register("Shop", map[string]resolver{
		"id": field(func(sh *shop) any { return shopGID(sh) }),
		"metafields": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, o.(*shop).shopFields, args)
		},
		"metafield": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldLookup(o.(*shop).shopFields, args), nil
		},
		"name":                  field(func(sh *shop) any { return strings.TrimSuffix(sh.cfg.Domain, ".myshopify.com") }),
		"myshopifyDomain":       field(func(sh *shop) any { return sh.cfg.Domain }),
		"email":                 field(func(*shop) any { return "owner@example.com" }),
		"contactEmail":          field(func(*shop) any { return "owner@example.com" }),
		"currencyCode":          field(func(*shop) any { return "USD" }),
		"ianaTimezone":          field(func(*shop) any { return "UTC" }),
		"timezoneOffset":        field(func(*shop) any { return "+0000" }),
		"timezoneOffsetMinutes": field(func(*shop) any { return 0 }),
		"taxesIncluded":         field(func(*shop) any { return false }),
		"url":                   field(func(sh *shop) any { return "https://" + sh.cfg.Domain }),
		"plan": field(func(sh *shop) any {
			name := string(sh.cfg.Plan)
			if name == "" {
				name = string(PlanStandard)
			}
			return gql.Obj("ShopPlan", map[string]any{"partnerDevelopment": false, "shopifyPlus": sh.cfg.Plan == PlanPlus, "publicDisplayName": name})
		}),
	})
}
