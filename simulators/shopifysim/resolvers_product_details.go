package shopifysim

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Product fields derived from the variants that Shopify's documentation
// examples read: the price range.

// moneyV2 is a MoneyV2 in the shop's currency.
func moneyV2(cents int64, currency string) *gql.Object {
	return gql.Obj("MoneyV2", map[string]any{"amount": formatDecimal(cents), "currencyCode": currency})
}

// priceRange is ProductPriceRangeV2 (and the deprecated ProductPriceRange,
// which has the same fields): the lowest and highest variant price.
func priceRange(p *product) *gql.Object {
	var lo, hi int64
	for i, v := range p.Variants {
		c := parseCents(v.Price)
		if i == 0 || c < lo {
			lo = c
		}
		if i == 0 || c > hi {
			hi = c
		}
	}
	return gql.Obj("", map[string]any{"minVariantPrice": moneyV2(lo, shopCurrency), "maxVariantPrice": moneyV2(hi, shopCurrency)})
}

// shopCurrency is every simulated shop's currency (Shop.currencyCode).
const shopCurrency = "USD"

// truncateText applies a truncateAt argument as Shopify does: text
// longer than n characters is cut to n, the last three an ellipsis.
func truncateText(s string, args map[string]any) string {
	n, ok := gql.ArgInt(args, "truncateAt")
	r := []rune(s)
	if !ok || n <= 0 || len(r) <= n {
		return s
	}
	if n <= 3 {
		return string(r[:n])
	}
	return string(r[:n-3]) + "..."
}

func init() {
	register("Product", map[string]resolver{
		"seo": field(func(p *product) any {
			return gql.Obj("SEO", map[string]any{"title": nilIfEmpty(p.SEOTitle), "description": nilIfEmpty(p.SEODescription)})
		}),
		// The storefront's preview of the product, which Shopify serves
		// whatever the product's status.
		"onlineStorePreviewUrl": func(ec *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
			return "https://" + ec.sh.cfg.Domain + "/products/" + o.(*product).Handle, nil
		},
		"priceRangeV2": field(func(p *product) any { return priceRange(p) }),
		"priceRange":   field(func(p *product) any { return priceRange(p) }),
	})
}
