package shopifysim

import (
	"strings"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Product options are what a product's variants differ by (Pattern,
// Width), each with its values; a variant picks one value per option and
// its title is those values joined by " / ", as on Shopify. Products made
// by productSet with productOptions keep their options; seeded products
// and those made through the Go API have one option, Title, whose values
// are the variants' titles.

// productOption is one option of a product.
type productOption struct {
	ID     int64
	Name   string
	Values []optionValue
}

// optionValue is one value of an option.
type optionValue struct {
	ID   int64
	Name string
}

// options are the product's options in position order.
func (p *product) options() []*productOption {
	if len(p.Options) > 0 {
		return p.Options
	}
	o := &productOption{ID: p.ID, Name: "Title"}
	for i, v := range p.Variants {
		o.Values = append(o.Values, optionValue{ID: p.ID*1000 + int64(i) + 1, Name: v.Title})
	}
	return []*productOption{o}
}

// valueOf is the variant's value of option i.
func (v *variant) valueOf(i int) string {
	if len(v.Product.Options) == 0 {
		return v.Title
	}
	if i < len(v.OptionValues) {
		return v.OptionValues[i]
	}
	return ""
}

// optionValueObject is a ProductOptionValue of option i of p.
func optionValueObject(p *product, i int, val optionValue) *gql.Object {
	used := false
	for _, v := range p.Variants {
		used = used || v.valueOf(i) == val.Name
	}
	return gql.Obj("ProductOptionValue", map[string]any{
		"id": gql.GID("ProductOptionValue", val.ID), "name": val.Name, "hasVariants": used,
		"linkedMetafieldValue": nil, "swatch": nil, "translations": []any{},
	})
}

// productOptions is Product.options(first:).
func productOptions(p *product, args map[string]any) []any {
	opts := p.options()
	out := make([]any, 0, len(opts))
	for i, o := range opts {
		names := make([]string, 0, len(o.Values))
		values := make([]any, 0, len(o.Values))
		for _, val := range o.Values {
			names = append(names, val.Name)
			values = append(values, optionValueObject(p, i, val))
		}
		out = append(out, gql.Obj("ProductOption", map[string]any{
			"id": gql.GID("ProductOption", o.ID), "name": o.Name, "position": i + 1,
			"values": names, "optionValues": values, "linkedMetafield": nil, "translations": []any{},
		}))
	}
	if n, ok := gql.ArgInt(args, "first"); ok && n < len(out) {
		out = out[:max(n, 0)]
	}
	return out
}

// selectedOptions is ProductVariant.selectedOptions: one per option.
func selectedOptions(v *variant) []any {
	opts := v.Product.options()
	out := make([]any, 0, len(opts))
	for i, o := range opts {
		name := v.valueOf(i)
		var ov any
		for _, val := range o.Values {
			if val.Name == name {
				ov = optionValueObject(v.Product, i, val)
			}
		}
		out = append(out, gql.Obj("SelectedOption", map[string]any{"name": o.Name, "value": name, "optionValue": ov}))
	}
	return out
}

// buildOptions makes the options of a productSet's productOptions input
// (OptionSetInput: name, position, values) in position order, keeping
// the ids of existing options and values of the same names; newID hands
// out the others.
func buildOptions(inputs []map[string]any, existing []*productOption, newID func() int64) []*productOption {
	type positioned struct {
		pos int
		o   *productOption
	}
	var list []positioned
	for i, in := range inputs {
		o := &productOption{Name: gql.ArgString(in, "name")}
		var old *productOption
		for _, e := range existing {
			if strings.EqualFold(e.Name, o.Name) {
				old = e
			}
		}
		if old != nil {
			o.ID = old.ID
		} else {
			o.ID = newID()
		}
		for _, vin := range gql.ArgObjects(in, "values") {
			val := optionValue{Name: gql.ArgString(vin, "name")}
			if old != nil {
				for _, ov := range old.Values {
					if ov.Name == val.Name {
						val.ID = ov.ID
					}
				}
			}
			if val.ID == 0 {
				val.ID = newID()
			}
			o.Values = append(o.Values, val)
		}
		pos, ok := gql.ArgInt(in, "position")
		if !ok {
			pos = i + 1
		}
		list = append(list, positioned{pos, o})
	}
	// Stable by position: inputs without one keep their order.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].pos < list[j-1].pos; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	out := make([]*productOption, 0, len(list))
	for _, e := range list {
		out = append(out, e.o)
	}
	return out
}

// variantOptionValues maps a variant input's optionValues
// (VariantOptionValueInput: optionName or optionId, name) onto p's
// options; missing is the index of the first entry naming an option or
// value p does not have (len(in) when an option gets no value), or -1,
// with the ProductSetUserErrorCode.
func variantOptionValues(p *product, in []map[string]any) (values []string, missing int, code string) {
	values = make([]string, len(p.Options))
	for j, ov := range in {
		idx := -1
		for i, o := range p.Options {
			if name := gql.ArgString(ov, "optionName"); name != "" && strings.EqualFold(name, o.Name) ||
				gql.ArgString(ov, "optionId") == gql.GID("ProductOption", o.ID) {
				idx = i
			}
		}
		if idx < 0 {
			return nil, j, "OPTION_DOES_NOT_EXIST"
		}
		name, found := gql.ArgString(ov, "name"), false
		for _, val := range p.Options[idx].Values {
			if val.Name == name || gql.ArgString(ov, "id") == gql.GID("ProductOptionValue", val.ID) {
				name, found = val.Name, true
			}
		}
		if !found {
			return nil, j, "OPTION_VALUE_DOES_NOT_EXIST"
		}
		values[idx] = name
	}
	for _, v := range values {
		if v == "" {
			return nil, len(in), "OPTION_VALUES_MISSING"
		}
	}
	return values, -1, ""
}
