package shopifysim

import (
	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// productSet's identifier can name the product to upsert by handle or by
// a custom id: a metafield (namespace, key) whose value identifies one
// product, as a metafield definition with unique values does on
// Shopify. No match creates the product with that handle or metafield.

// productByHandle finds a product by handle. Callers hold mu.
func (sh *shop) productByHandle(handle string) *product {
	for _, p := range sh.products {
		if p.Handle == handle {
			return p
		}
	}
	return nil
}

// customIDKey is a UniqueMetafieldValueInput's namespace (the app's when
// omitted), key and value.
func customIDKey(in map[string]any) (ns, key, value string) {
	ns = gql.ArgString(in, "namespace")
	if ns == "" {
		ns = defaultMetafieldNamespace
	}
	return ns, gql.ArgString(in, "key"), gql.ArgString(in, "value")
}

// productByCustomID finds the product whose metafield the custom id
// names holds its value. Callers hold mu.
func (sh *shop) productByCustomID(in map[string]any) *product {
	ns, key, value := customIDKey(in)
	for _, p := range sh.products {
		for _, m := range p.Metafields {
			if m.Namespace == ns && m.Key == key && m.Value == value {
				return p
			}
		}
	}
	return nil
}

// customIDWrite is the metafield a product created by custom id gets: of
// the type other products' metafields with that namespace and key have
// (the definition's), single_line_text_field when none has one.
func (sh *shop) customIDWrite(in map[string]any) metafieldWrite {
	ns, key, value := customIDKey(in)
	w := metafieldWrite{ns: ns, key: key, value: value, typ: "single_line_text_field"}
	for _, m := range sh.metafields {
		if m.OwnerType == "PRODUCT" && m.Namespace == ns && m.Key == key {
			w.typ = m.Type
			break
		}
	}
	return w
}
