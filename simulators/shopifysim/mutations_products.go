package shopifysim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// The catalog mutations apps use to create and change products through
// GraphQL: productSet (create or replace a product with its variants),
// productVariantsBulkUpdate (change variants' prices, barcodes and SKUs)
// and inventoryActivate (stock an item at a location). They change the
// same model as the Go API's CreateProduct and UpdateProduct and emit the
// same webhooks.

func init() {
	register("Mutation", map[string]resolver{
		"productSet":                productSet,
		"productVariantsBulkUpdate": productVariantsBulkUpdate,
		"inventoryActivate":         inventoryActivate,
	})
}

// productPayloadOf is a catalog mutation's payload.
func productPayloadOf(p *product, extra map[string]any, errs []*gql.Object) *gql.Object {
	if errs == nil {
		errs = []*gql.Object{}
	}
	fields := map[string]any{"product": p, "userErrors": errs}
	if p == nil {
		fields["product"] = nil
	}
	for k, v := range extra {
		fields[k] = v
	}
	return gql.Obj("", fields)
}

// moneyArg reads a Money input, which Shopify takes as a decimal string
// or a JSON number ("79.99" or 79.99), as the shop's decimal string
// ("79.99"); ok is false when it is absent or null.
func moneyArg(in map[string]any, name string) (string, bool) {
	switch v := in[name].(type) {
	case string:
		return formatCents(parseCents(v)), true
	case nil:
		return "", false
	default:
		return formatCents(parseCents(fmt.Sprint(v))), true
	}
}

// variantFields applies a variant input's price, barcode and SKU.
func variantFields(v *variant, in map[string]any) {
	if s, ok := moneyArg(in, "price"); ok {
		v.Price = s
	}
	if s, ok := in["barcode"].(string); ok {
		v.Barcode = s
	}
	if _, ok := in["compareAtPrice"]; ok {
		v.CompareAtPrice, _ = moneyArg(in, "compareAtPrice") // null clears it
	}
	if s, ok := in["sku"].(string); ok {
		v.SKU = s
	}
	item := gql.ArgObject(in, "inventoryItem")
	if s, ok := item["sku"].(string); ok {
		v.SKU = s
	}
	if b, ok := item["tracked"].(bool); ok && v.Item != nil {
		v.Item.Tracked = b
	}
}

// removeVariant drops v, its inventory item and levels. Callers hold mu.
func (sh *shop) removeVariant(v *variant) {
	delete(sh.variantByID, v.ID)
	if v.Item != nil {
		delete(sh.itemByID, v.Item.ID)
		for _, l := range v.Item.Levels {
			delete(sh.levelByID, l.ID)
		}
	}
	for _, m := range v.Metafields {
		delete(sh.metafields, m.ID)
	}
}

func productSet(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "ProductSetUserError"
	sh := ec.sh
	in := gql.ArgObject(args, "input")
	fail := func(path []any, code, msg string) (any, error) {
		return productPayloadOf(nil, map[string]any{"productSetOperation": nil},
			[]*gql.Object{userErr(errType, path, code, msg)}), nil
	}
	idArg, idPath := gql.ArgString(gql.ArgObject(args, "identifier"), "id"), []any{"identifier", "id"}
	if idArg == "" {
		idArg, idPath = gql.ArgString(in, "id"), []any{"input", "id"}
	}
	var p *product
	// Upsert by handle or custom id: update the product they find, or
	// create one with that handle or custom id metafield.
	ident := gql.ArgObject(args, "identifier")
	upsertHandle, customID := gql.ArgString(ident, "handle"), gql.ArgObject(ident, "customId")
	if upsertHandle != "" {
		p = sh.productByHandle(upsertHandle)
	} else if customID != nil {
		p = sh.productByCustomID(customID)
	}
	if p != nil {
		// found: an update
	} else if idArg != "" {
		id, _ := gql.ParseID(idArg, "Product")
		if p = sh.productByID[id]; p == nil {
			return fail(idPath, "PRODUCT_DOES_NOT_EXIST", "Product does not exist")
		}
	} else if strings.TrimSpace(gql.ArgString(in, "title")) == "" {
		return fail([]any{"input", "title"}, "INVALID_PRODUCT", "Title can't be blank")
	}
	variants := gql.ArgObjects(in, "variants")
	for i, vin := range variants {
		if vid := gql.ArgString(vin, "id"); vid != "" {
			id, _ := gql.ParseID(vid, "ProductVariant")
			if v := sh.variantByID[id]; v == nil || p == nil || v.Product != p {
				return fail([]any{"input", "variants", strconv.Itoa(i), "id"}, "PRODUCT_VARIANT_DOES_NOT_EXIST", "Product variant does not exist")
			}
		}
		if price, ok := moneyArg(vin, "price"); ok && strings.HasPrefix(price, "-") {
			return fail([]any{"input", "variants", strconv.Itoa(i), "price"}, "INVALID_VARIANT", "Price must be greater than or equal to 0")
		}
	}
	// Variants' option values must name the options the product will have.
	_, optionsGiven := in["productOptions"]
	probe := p
	if optionsGiven {
		probe = &product{Options: buildOptions(gql.ArgObjects(in, "productOptions"), nil, func() int64 { return 0 })}
	}
	var optionValues [][]string
	if probe != nil && len(probe.Options) > 0 {
		for i, vin := range variants {
			vals, bad, code := variantOptionValues(probe, gql.ArgObjects(vin, "optionValues"))
			if bad >= 0 {
				return fail([]any{"input", "variants", strconv.Itoa(i), "optionValues", strconv.Itoa(bad)}, code, "Option value does not exist on the product's options")
			}
			optionValues = append(optionValues, vals)
		}
	}
	var existingFields []*metafield
	if p != nil {
		existingFields = p.Metafields
	}
	productFields, problems := sh.checkMetafieldInputs(existingFields, gql.ArgObjects(in, "metafields"))
	if len(problems) > 0 {
		return fail(problems[0].path("input"), "INVALID_METAFIELD", problems[0].msg)
	}
	variantFieldWrites := make([][]metafieldWrite, len(variants))
	for i, vin := range variants {
		var list []*metafield
		if vid := gql.ArgString(vin, "id"); vid != "" {
			id, _ := gql.ParseID(vid, "ProductVariant")
			list = sh.variantByID[id].Metafields
		}
		writes, problems := sh.checkMetafieldInputs(list, gql.ArgObjects(vin, "metafields"))
		if len(problems) > 0 {
			return fail(problems[0].path("input", "variants", strconv.Itoa(i)), "INVALID_METAFIELD", problems[0].msg)
		}
		variantFieldWrites[i] = writes
	}

	now := sh.now()
	created := p == nil
	if created {
		sh.ensureLocations(1, now)
		p = &product{ID: sh.id(), Status: "ACTIVE", Tags: []string{}, CreatedAt: now}
	}
	applyProductInput(p, in, created, upsertHandle)
	if optionsGiven {
		p.Options = buildOptions(gql.ArgObjects(in, "productOptions"), p.Options, sh.id)
	}
	if _, ok := in["variants"]; ok || created {
		if len(variants) == 0 {
			// One default variant: the first value of each option.
			variants = []map[string]any{{}}
			var first []string
			for _, o := range p.Options {
				if len(o.Values) > 0 {
					first = append(first, o.Values[0].Name)
				}
			}
			optionValues = [][]string{first}
			variantFieldWrites = [][]metafieldWrite{nil}
		}
		// productSet sets the list: variants not named are deleted.
		keep := map[*variant]bool{}
		var list []*variant
		for j, vin := range variants {
			var v *variant
			if vid := gql.ArgString(vin, "id"); vid != "" {
				id, _ := gql.ParseID(vid, "ProductVariant")
				v = sh.variantByID[id]
			} else {
				v = &variant{ID: sh.id(), Product: p, Price: "0.00", CreatedAt: now}
				stock := map[int64]int{}
				for _, q := range gql.ArgObjects(vin, "inventoryQuantities") {
					lid, _ := gql.ParseID(gql.ArgString(q, "locationId"), "Location")
					n, _ := gql.ArgInt(q, "quantity")
					stock[lid] = n
				}
				sh.addInventoryItem(v, sh.locations, func(k int) int { return stock[sh.locations[k].ID] }, now)
				sh.variantByID[v.ID] = v
			}
			variantFields(v, vin)
			v.Title = variantTitle(j, len(variants))
			v.OptionValues = nil
			if len(p.Options) > 0 && j < len(optionValues) {
				v.OptionValues = optionValues[j]
				v.Title = strings.Join(v.OptionValues, " / ")
			} else if vals := gql.ArgObjects(vin, "optionValues"); len(vals) > 0 && gql.ArgString(vals[0], "name") != "" {
				v.Title = gql.ArgString(vals[0], "name")
			}
			sh.applyMetafieldWrites(&metafieldOwner{gql.GID("ProductVariant", v.ID), "PRODUCTVARIANT", &v.Metafields}, variantFieldWrites[j])
			v.Position, v.UpdatedAt = j+1, now
			keep[v] = true
			list = append(list, v)
		}
		for _, v := range p.Variants {
			if !keep[v] {
				sh.removeVariant(v)
			}
		}
		p.Variants = list
	}
	if created && customID != nil {
		productFields = append(productFields, sh.customIDWrite(customID))
	}
	sh.applyMetafieldWrites(&metafieldOwner{gql.GID("Product", p.ID), "PRODUCT", &p.Metafields}, productFields)
	p.UpdatedAt = now
	if created {
		sh.insertProduct(p)
		sh.emit("products/create", productPayload(p))
	} else {
		sh.emit("products/update", productPayload(p))
	}
	ec.applied = true
	if sync, given := args["synchronous"].(bool); given && !sync {
		// Asynchronous: the payload has the operation, not the product.
		return productPayloadOf(nil, map[string]any{"productSetOperation": sh.startProductOperation(p, false)}, nil), nil
	}
	return productPayloadOf(p, map[string]any{"productSetOperation": nil}, nil), nil
}

func productVariantsBulkUpdate(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "ProductVariantsBulkUpdateUserError"
	sh := ec.sh
	refuse := func(errs []*gql.Object) (any, error) {
		return productPayloadOf(nil, map[string]any{"productVariants": nil}, errs), nil
	}
	id, _ := gql.ParseID(gql.ArgString(args, "productId"), "Product")
	p := sh.productByID[id]
	if p == nil {
		return refuse([]*gql.Object{userErr(errType, []any{"productId"}, "PRODUCT_DOES_NOT_EXIST", "Product does not exist")})
	}
	inputs := gql.ArgObjects(args, "variants")
	var errs []*gql.Object
	targets := make([]*variant, len(inputs))
	metafieldWrites := make([][]metafieldWrite, len(inputs))
	for i, vin := range inputs {
		at := func(f string) []any { return []any{"variants", strconv.Itoa(i), f} }
		vid := gql.ArgString(vin, "id")
		if vid == "" {
			errs = append(errs, userErr(errType, at("id"), "PRODUCT_VARIANT_ID_MISSING", "Product variant is missing ID attribute"))
			continue
		}
		n, _ := gql.ParseID(vid, "ProductVariant")
		v := sh.variantByID[n]
		if v == nil {
			errs = append(errs, userErr(errType, at("id"), "PRODUCT_VARIANT_DOES_NOT_EXIST", "Product variant does not exist"))
			continue
		}
		if v.Product != p {
			errs = append(errs, userErr(errType, at("id"), "MUST_BE_FOR_THIS_PRODUCT", "Product variant does not belong to this product"))
			continue
		}
		if price, ok := moneyArg(vin, "price"); ok && strings.HasPrefix(price, "-") {
			errs = append(errs, userErr(errType, at("price"), "NEGATIVE_PRICE_VALUE", "Price must be greater than or equal to 0"))
			continue
		}
		writes, problems := sh.checkMetafieldInputs(v.Metafields, gql.ArgObjects(vin, "metafields"))
		for _, p := range problems {
			errs = append(errs, userErr(errType, p.path("variants", strconv.Itoa(i)), "INVALID_INPUT", p.msg))
		}
		if len(problems) > 0 {
			continue
		}
		metafieldWrites[i] = writes
		targets[i] = v
	}
	if len(errs) > 0 && !gql.ArgBool(args, "allowPartialUpdates") {
		return refuse(errs)
	}
	now := sh.now()
	updated := make([]any, 0, len(targets))
	for i, v := range targets {
		if v == nil {
			continue
		}
		variantFields(v, inputs[i])
		sh.applyMetafieldWrites(&metafieldOwner{gql.GID("ProductVariant", v.ID), "PRODUCTVARIANT", &v.Metafields}, metafieldWrites[i])
		v.UpdatedAt = now
		updated = append(updated, v)
	}
	if len(updated) > 0 {
		p.UpdatedAt = now
		sh.emit("products/update", productPayload(p))
		ec.applied = true
	}
	if errs == nil {
		errs = []*gql.Object{}
	}
	return productPayloadOf(p, map[string]any{"productVariants": updated}, errs), nil
}

func inventoryActivate(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	sh := ec.sh
	fail := func(field, msg string) (any, error) {
		return gql.Obj("", map[string]any{"inventoryLevel": nil,
			"userErrors": []*gql.Object{userErr("UserError", []any{field}, "", msg)}}), nil
	}
	iid, _ := gql.ParseID(gql.ArgString(args, "inventoryItemId"), "InventoryItem")
	it := sh.itemByID[iid]
	if it == nil {
		return fail("inventoryItemId", "Inventory item does not exist")
	}
	lid, _ := gql.ParseID(gql.ArgString(args, "locationId"), "Location")
	loc := sh.locByID[lid]
	if loc == nil {
		return fail("locationId", "Location does not exist")
	}
	for _, l := range it.Levels {
		if l.Location == loc {
			return gql.Obj("", map[string]any{"inventoryLevel": l, "userErrors": []*gql.Object{}}), nil
		}
	}
	available, _ := gql.ArgInt(args, "available")
	if onHand, ok := gql.ArgInt(args, "onHand"); ok {
		available = onHand
	}
	now := sh.now()
	l := &inventoryLevel{ID: sh.id(), Item: it, Location: loc, CreatedAt: now, UpdatedAt: now,
		Quantities: map[string]int{"available": available, "on_hand": available}}
	it.Levels = append(it.Levels, l)
	sh.levelByID[l.ID] = l
	it.UpdatedAt = now
	sh.emit("inventory_levels/update", inventoryLevelPayload(l))
	ec.applied = true
	return gql.Obj("", map[string]any{"inventoryLevel": l, "userErrors": []*gql.Object{}}), nil
}
