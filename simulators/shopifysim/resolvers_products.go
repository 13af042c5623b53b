package shopifysim

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

func countObj(n int) *gobj {
	return obj("Count", map[string]any{"count": n, "precision": "EXACT"})
}

// sortKeyFunc returns how to order resources for a sortKey argument.
func productSortKey(args map[string]any) func(*product) sortKey {
	switch argString(args, "sortKey") {
	case "UPDATED_AT":
		return func(p *product) sortKey { return sortKey{Value: p.UpdatedAt.UnixNano(), ID: p.ID} }
	case "CREATED_AT", "PUBLISHED_AT":
		return func(p *product) sortKey { return sortKey{Value: p.CreatedAt.UnixNano(), ID: p.ID} }
	}
	return func(p *product) sortKey { return byID(p.ID) }
}

func productMatcher(p *product) termMatcher {
	return func(t searchTerm) (bool, bool) {
		switch t.field {
		case "":
			return strings.Contains(strings.ToLower(p.Title), strings.ToLower(t.value)), true
		case "id":
			return compareInt(t, p.ID), true
		case "updated_at":
			return compareTime(t, p.UpdatedAt), true
		case "created_at":
			return compareTime(t, p.CreatedAt), true
		case "title":
			return matchText(t, p.Title), true
		case "handle":
			return matchText(t, p.Handle), true
		case "status":
			return matchText(t, p.Status), true
		case "vendor":
			return matchText(t, p.Vendor), true
		case "product_type":
			return matchText(t, p.ProductType), true
		case "tag":
			for _, tag := range p.Tags {
				if matchText(t, tag) {
					return true, true
				}
			}
			return false, true
		case "sku":
			for _, v := range p.Variants {
				if matchText(t, v.SKU) {
					return true, true
				}
			}
			return false, true
		case "barcode":
			for _, v := range p.Variants {
				if matchText(t, v.Barcode) {
					return true, true
				}
			}
			return false, true
		}
		return false, false
	}
}

func variantMatcher(v *variant) termMatcher {
	pm := productMatcher(v.Product)
	return func(t searchTerm) (bool, bool) {
		switch t.field {
		case "id":
			return compareInt(t, v.ID), true
		case "sku":
			return matchText(t, v.SKU), true
		case "barcode":
			return matchText(t, v.Barcode), true
		case "product_id":
			return compareInt(t, v.Product.ID), true
		case "updated_at":
			return compareTime(t, v.UpdatedAt), true
		case "inventory_item_id":
			return compareInt(t, v.Item.ID), true
		}
		return pm(t)
	}
}

// sortedBy filters items by query and orders them by key.
func sortedBy[T any](items []T, q searchQuery, m func(T) termMatcher, key func(T) sortKey, presorted bool) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		if m == nil || len(q) == 0 || q.matches(m(it)) {
			out = append(out, it)
		}
	}
	if !presorted {
		slices.SortStableFunc(out, func(a, b T) int {
			ka, kb := key(a), key(b)
			switch {
			case ka.less(kb):
				return -1
			case kb.less(ka):
				return 1
			}
			return 0
		})
	}
	return out
}

func metafieldConnection(ec *execCtx, list []*metafield, args map[string]any) (any, error) {
	ns := argString(args, "namespace")
	keys := argStrings(args, "keys")
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
	return paginate(ec, out, func(m *metafield) sortKey { return byID(m.ID) }, args)
}

func metafieldLookup(list []*metafield, args map[string]any) any {
	ns, key := argString(args, "namespace"), argString(args, "key")
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
			items := sortedBy(ec.sh.products, parseSearch(argString(args, "query")), productMatcher, key,
				argString(args, "sortKey") == "" || argString(args, "sortKey") == "ID")
			return paginate(ec, items, key, args)
		},
		"product": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := parseID(argString(args, "id"), "Product")
			return ec.sh.productByID[id], nil
		},
		"productByHandle": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			h := argString(args, "handle")
			for _, p := range ec.sh.products {
				if p.Handle == h {
					return p, nil
				}
			}
			return nil, nil
		},
		"productVariants": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := parseSearch(argString(args, "query"))
			var items []*variant
			for _, p := range ec.sh.products {
				for _, v := range p.Variants {
					if q.matches(variantMatcher(v)) {
						items = append(items, v)
					}
				}
			}
			key := func(v *variant) sortKey { return byID(v.ID) }
			if argString(args, "sortKey") == "UPDATED_AT" {
				key = func(v *variant) sortKey { return sortKey{Value: v.UpdatedAt.UnixNano(), ID: v.ID} }
			}
			items = sortedBy(items, nil, variantMatcher, key, false)
			return paginate(ec, items, key, args)
		},
		"productVariant": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := parseID(argString(args, "id"), "ProductVariant")
			return ec.sh.variantByID[id], nil
		},
		"productsCount": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := parseSearch(argString(args, "query"))
			n := 0
			for _, p := range ec.sh.products {
				if q.matches(productMatcher(p)) {
					n++
				}
			}
			return countObj(n), nil
		},
	})

	register("Product", map[string]resolver{
		"id":               field(func(p *product) any { return gid("Product", p.ID) }),
		"legacyResourceId": field(func(p *product) any { return p.ID }),
		"title":            field(func(p *product) any { return p.Title }),
		"handle":           field(func(p *product) any { return p.Handle }),
		"status":           field(func(p *product) any { return p.Status }),
		"vendor":           field(func(p *product) any { return p.Vendor }),
		"productType":      field(func(p *product) any { return p.ProductType }),
		"tags":             field(func(p *product) any { return p.Tags }),
		"createdAt":        field(func(p *product) any { return p.CreatedAt }),
		"updatedAt":        field(func(p *product) any { return p.UpdatedAt }),
		"publishedAt": field(func(p *product) any {
			if p.Status != "ACTIVE" {
				return nil
			}
			return p.CreatedAt
		}),
		"descriptionHtml":       field(func(p *product) any { return p.BodyHTML }),
		"description":           field(func(p *product) any { return stripTags(p.BodyHTML) }),
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
		"variants": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			p := o.(*product)
			key := func(v *variant) sortKey { return sortKey{Value: int64(v.Position), ID: v.ID} }
			if argString(args, "sortKey") == "ID" {
				key = func(v *variant) sortKey { return byID(v.ID) }
			}
			return paginate(ec, sortedBy(p.Variants, nil, variantMatcher, key, false), key, args)
		},
		"metafields": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, o.(*product).Metafields, args)
		},
		"metafield": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldLookup(o.(*product).Metafields, args), nil
		},
	})

	register("ProductVariant", map[string]resolver{
		"id":               field(func(v *variant) any { return gid("ProductVariant", v.ID) }),
		"legacyResourceId": field(func(v *variant) any { return v.ID }),
		"title":            field(func(v *variant) any { return v.Title }),
		"displayName":      field(func(v *variant) any { return v.Product.Title + " - " + v.Title }),
		"sku":              field(func(v *variant) any { return v.SKU }),
		"barcode":          field(func(v *variant) any { return nilIfEmpty(v.Barcode) }),
		"price":            field(func(v *variant) any { return v.Price }),
		"compareAtPrice":   field(func(*variant) any { return nil }),
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
		"selectedOptions": field(func(v *variant) any {
			return []any{obj("SelectedOption", map[string]any{"name": "Title", "value": v.Title, "optionValue": nil})}
		}),
		"metafields": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, nil, args)
		},
		"metafield": func(*execCtx, any, *ast.Field, map[string]any) (any, error) { return nil, nil },
	})

	register("Metafield", map[string]resolver{
		"id":               field(func(m *metafield) any { return gid("Metafield", m.ID) }),
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

// field adapts a plain getter on a model type to a resolver.
func field[T any](get func(T) any) resolver {
	return func(_ *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
		return get(o.(T)), nil
	}
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
