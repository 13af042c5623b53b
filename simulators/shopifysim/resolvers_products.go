package shopifysim

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

func countObj(n int) *gql.Object {
	return gql.Obj("Count", map[string]any{"count": n, "precision": "EXACT"})
}

// productSortKey returns how to order products for a sortKey argument.
func productSortKey(args map[string]any) func(*product) gql.SortKey {
	switch gql.ArgString(args, "sortKey") {
	case "UPDATED_AT":
		return func(p *product) gql.SortKey { return gql.SortKey{Value: p.UpdatedAt.UnixNano(), ID: p.ID} }
	case "CREATED_AT", "PUBLISHED_AT":
		return func(p *product) gql.SortKey { return gql.SortKey{Value: p.CreatedAt.UnixNano(), ID: p.ID} }
	}
	return func(p *product) gql.SortKey { return gql.ByID(p.ID) }
}

func productMatcher(p *product) gql.TermMatcher {
	return func(t gql.SearchTerm) (bool, bool) {
		switch t.Field {
		case "":
			return strings.Contains(strings.ToLower(p.Title), strings.ToLower(t.Value)), true
		case "id":
			return gql.CompareInt(t, p.ID), true
		case "updated_at":
			return gql.CompareTime(t, p.UpdatedAt), true
		case "created_at":
			return gql.CompareTime(t, p.CreatedAt), true
		case "title":
			return gql.MatchText(t, p.Title), true
		case "handle":
			return gql.MatchText(t, p.Handle), true
		case "status":
			return gql.MatchText(t, p.Status), true
		case "vendor":
			return gql.MatchText(t, p.Vendor), true
		case "product_type":
			return gql.MatchText(t, p.ProductType), true
		case "tag":
			for _, tag := range p.Tags {
				if gql.MatchText(t, tag) {
					return true, true
				}
			}
			return false, true
		case "sku":
			for _, v := range p.Variants {
				if gql.MatchText(t, v.SKU) {
					return true, true
				}
			}
			return false, true
		case "barcode":
			for _, v := range p.Variants {
				if gql.MatchText(t, v.Barcode) {
					return true, true
				}
			}
			return false, true
		}
		return false, false
	}
}

func variantMatcher(v *variant) gql.TermMatcher {
	pm := productMatcher(v.Product)
	return func(t gql.SearchTerm) (bool, bool) {
		switch t.Field {
		case "id":
			return gql.CompareInt(t, v.ID), true
		case "sku":
			return gql.MatchText(t, v.SKU), true
		case "barcode":
			return gql.MatchText(t, v.Barcode), true
		case "product_id":
			return gql.CompareInt(t, v.Product.ID), true
		case "updated_at":
			return gql.CompareTime(t, v.UpdatedAt), true
		case "inventory_item_id":
			return gql.CompareInt(t, v.Item.ID), true
		case "location_id":
			// Stocked at the location.
			for _, l := range v.Item.Levels {
				if gql.CompareInt(t, l.Location.ID) {
					return true, true
				}
			}
			return false, true
		case "inventory_quantity":
			return gql.CompareInt(t, int64(v.available())), true
		}
		return pm(t)
	}
}

func metafieldConnection(ec *execCtx, list []*metafield, args map[string]any) (any, error) {
	ns := gql.ArgString(args, "namespace")
	keys := gql.ArgStrings(args, "keys")
	var out []*metafield
	for _, m := range list {
		if ns != "" && m.Namespace != ns {
			continue
		}
		if len(keys) > 0 && !slices.Contains(keys, m.Namespace+"."+m.Key) {
			continue
		}
		out = append(out, m)
	}
	return gql.Paginate(ec.Exec, out, func(m *metafield) gql.SortKey { return gql.ByID(m.ID) }, args)
}

func metafieldLookup(list []*metafield, args map[string]any) any {
	ns, key := gql.ArgString(args, "namespace"), gql.ArgString(args, "key")
	if ns == "" {
		if n, k, ok := strings.Cut(key, "."); ok {
			ns, key = n, k
		}
	}
	for _, m := range list {
		if m.Namespace == ns && m.Key == key {
			return m
		}
	}
	return nil
}

func init() {
	register("QueryRoot", map[string]resolver{
		"products": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			key := productSortKey(args)
			items := gql.SortedBy(ec.sh.products, gql.ParseSearch(gql.ArgString(args, "query")), productMatcher, key,
				gql.ArgString(args, "sortKey") == "" || gql.ArgString(args, "sortKey") == "ID")
			return gql.Paginate(ec.Exec, items, key, args)
		},
		"product": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "Product")
			return ec.sh.productByID[id], nil
		},
		"productByHandle": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			h := gql.ArgString(args, "handle")
			for _, p := range ec.sh.products {
				if p.Handle == h {
					return p, nil
				}
			}
			return nil, nil
		},
		"productVariants": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := gql.ParseSearch(gql.ArgString(args, "query"))
			var items []*variant
			for _, p := range ec.sh.products {
				for _, v := range p.Variants {
					if q.Matches(variantMatcher(v)) {
						items = append(items, v)
					}
				}
			}
			key := variantSortKey(items, args, q)
			items = gql.SortedBy(items, nil, variantMatcher, key, false)
			return gql.Paginate(ec.Exec, items, key, args)
		},
		"productVariant": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "ProductVariant")
			return ec.sh.variantByID[id], nil
		},
		"productsCount": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := gql.ParseSearch(gql.ArgString(args, "query"))
			n := 0
			for _, p := range ec.sh.products {
				if q.Matches(productMatcher(p)) {
					n++
				}
			}
			return countObj(n), nil
		},
	})

	register("Product", map[string]resolver{
		"id":               field(func(p *product) any { return gql.GID("Product", p.ID) }),
		"legacyResourceId": field(func(p *product) any { return p.ID }),
		"title":            field(func(p *product) any { return p.Title }),
		"handle":           field(func(p *product) any { return p.Handle }),
		"status":           field(func(p *product) any { return p.Status }),
		"vendor":           field(func(p *product) any { return p.Vendor }),
		"productType":      field(func(p *product) any { return p.ProductType }),
		"tags":             field(func(p *product) any { return orEmpty(p.Tags) }),
		"createdAt":        field(func(p *product) any { return p.CreatedAt }),
		"updatedAt":        field(func(p *product) any { return p.UpdatedAt }),
		"publishedAt": field(func(p *product) any {
			if p.Status != "ACTIVE" {
				return nil
			}
			return p.CreatedAt
		}),
		"descriptionHtml": field(func(p *product) any { return p.BodyHTML }),
		"description": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return truncateText(stripTags(o.(*product).BodyHTML), args), nil
		},
		"isGiftCard":            field(func(*product) any { return false }),
		"onlineStoreUrl":        field(func(*product) any { return nil }),
		"templateSuffix":        field(func(*product) any { return nil }),
		"hasOnlyDefaultVariant": field(func(p *product) any { return len(p.Variants) == 1 && p.Variants[0].Title == "Default Title" }),
		"tracksInventory":       field(func(*product) any { return true }),
		"totalInventory": field(func(p *product) any {
			n := 0
			for _, v := range p.Variants {
				n += v.available()
			}
			return n
		}),
		"hasOutOfStockVariants": field(func(p *product) any {
			for _, v := range p.Variants {
				if v.available() <= 0 {
					return true
				}
			}
			return false
		}),
		"variantsCount": field(func(p *product) any { return countObj(len(p.Variants)) }),
		"options": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return productOptions(o.(*product), args), nil
		},
		"variants": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			p := o.(*product)
			key := func(v *variant) gql.SortKey { return gql.SortKey{Value: int64(v.Position), ID: v.ID} }
			if gql.ArgString(args, "sortKey") == "ID" {
				key = func(v *variant) gql.SortKey { return gql.ByID(v.ID) }
			}
			return gql.Paginate(ec.Exec, gql.SortedBy(p.Variants, nil, variantMatcher, key, false), key, args)
		},
		"metafields": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, o.(*product).Metafields, args)
		},
		"metafield": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldLookup(o.(*product).Metafields, args), nil
		},
	})

	register("ProductVariant", map[string]resolver{
		"id":               field(func(v *variant) any { return gql.GID("ProductVariant", v.ID) }),
		"legacyResourceId": field(func(v *variant) any { return v.ID }),
		"title":            field(func(v *variant) any { return v.Title }),
		"displayName":      field(func(v *variant) any { return v.Product.Title + " - " + v.Title }),
		"sku":              field(func(v *variant) any { return v.SKU }),
		"barcode":          field(func(v *variant) any { return nilIfEmpty(v.Barcode) }),
		"price":            field(func(v *variant) any { return v.Price }),
		"compareAtPrice":   field(func(v *variant) any { return nilIfEmpty(v.CompareAtPrice) }),
		"position":         field(func(v *variant) any { return v.Position }),
		"taxable":          field(func(*variant) any { return true }),
		"inventoryPolicy":  field(func(*variant) any { return "DENY" }),
		"availableForSale": field(func(v *variant) any { return v.available() > 0 }),
		"inventoryQuantity": field(func(v *variant) any {
			return v.available()
		}),
		"sellableOnlineQuantity": field(func(v *variant) any { return max(v.available(), 0) }),
		"inventoryItem":          field(func(v *variant) any { return v.Item }),
		"product":                field(func(v *variant) any { return v.Product }),
		"createdAt":              field(func(v *variant) any { return v.CreatedAt }),
		"updatedAt":              field(func(v *variant) any { return v.UpdatedAt }),
		"selectedOptions":        field(func(v *variant) any { return selectedOptions(v) }),
		"metafields": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, o.(*variant).Metafields, args)
		},
		"metafield": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldLookup(o.(*variant).Metafields, args), nil
		},
	})

	register("Metafield", map[string]resolver{
		"id":               field(func(m *metafield) any { return gql.GID("Metafield", m.ID) }),
		"legacyResourceId": field(func(m *metafield) any { return m.ID }),
		"namespace":        field(func(m *metafield) any { return m.Namespace }),
		"key":              field(func(m *metafield) any { return m.Key }),
		"type":             field(func(m *metafield) any { return m.Type }),
		"value":            field(func(m *metafield) any { return m.Value }),
		"jsonValue":        field(func(m *metafield) any { return metafieldJSONValue(m) }),
		"compareDigest":    field(func(m *metafield) any { return m.digest() }),
		"ownerType":        field(func(m *metafield) any { return m.OwnerType }),
		"createdAt":        field(func(m *metafield) any { return m.CreatedAt }),
		"updatedAt":        field(func(m *metafield) any { return m.UpdatedAt }),
		"sizeInBytes":      field(func(m *metafield) any { return len(m.Value) }),
		"definition":       field(func(*metafield) any { return nil }),
		"owner": func(ec *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
			return ec.sh.node(o.(*metafield).OwnerGID), nil
		},
	})
}

// available sums the variant's available stock over its locations.
func (v *variant) available() int {
	n := 0
	if v.Item != nil {
		for _, l := range v.Item.Levels {
			n += l.Quantities["available"]
		}
	}
	return n
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
