package shopifysim

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// productCreate, productUpdate and productDelete, the product mutations
// most apps (and Shopify's bulk import examples) send: productCreate
// makes a product with one variant (the first value of each option, as
// on Shopify, where more variants come from productVariantsBulkCreate or
// productSet), productUpdate changes its fields and metafields,
// productDelete removes it. Their userErrors are plain UserErrors (field
// and message, no code), as the schema types them.

func init() {
	register("Mutation", map[string]resolver{
		"productCreate": productCreate,
		"productUpdate": productUpdate,
		"productDelete": productDelete,
	})
}

// applyProductInput sets the product fields an input gives (title,
// vendor, productType, status, descriptionHtml, tags, handle, seo); a
// new product without a handle gets defaultHandle or one made from its
// title.
func applyProductInput(p *product, in map[string]any, created bool, defaultHandle string) {
	if s, ok := in["title"].(string); ok {
		p.Title = s
	}
	if s, ok := in["vendor"].(string); ok {
		p.Vendor = s
	}
	if s, ok := in["productType"].(string); ok {
		p.ProductType = s
	}
	if s, ok := in["status"].(string); ok {
		p.Status = s
	}
	if s, ok := in["descriptionHtml"].(string); ok {
		p.BodyHTML = s
	}
	if _, ok := in["tags"]; ok {
		p.Tags = gql.ArgStrings(in, "tags")
	}
	if s, ok := in["handle"].(string); ok && s != "" {
		p.Handle = s
	} else if created && defaultHandle != "" {
		p.Handle = defaultHandle
	} else if created {
		p.Handle = handleize(p.Title, p.ID)
	}
	if seo := gql.ArgObject(in, "seo"); seo != nil {
		p.SEOTitle, p.SEODescription = gql.ArgString(seo, "title"), gql.ArgString(seo, "description")
	}
}

// productInputArg is the mutation's product input: `product`, or the
// deprecated `input`.
func productInputArg(args map[string]any) map[string]any {
	if in := gql.ArgObject(args, "product"); in != nil {
		return in
	}
	return gql.ArgObject(args, "input")
}

// handleTaken reports whether another product than p has handle.
func (sh *shop) handleTaken(handle string, p *product) bool {
	other := sh.productByHandle(handle)
	return other != nil && other != p
}

func productCreate(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	sh := ec.sh
	in := productInputArg(args)
	refuse := func(path []any, msg string) (any, error) {
		return gql.Obj("", map[string]any{"product": nil, "shop": sh,
			"userErrors": []*gql.Object{userErr("UserError", path, "", msg)}}), nil
	}
	if gql.ArgString(in, "title") == "" {
		return refuse([]any{"title"}, "Title can't be blank")
	}
	if h := gql.ArgString(in, "handle"); h != "" && sh.handleTaken(h, nil) {
		return refuse([]any{"handle"}, "Handle '"+h+"' already in use. Please provide a new handle.")
	}
	writes, problems := sh.checkMetafieldInputs(nil, gql.ArgObjects(in, "metafields"))
	if len(problems) > 0 {
		return refuse(problems[0].path(), problems[0].msg)
	}
	now := sh.now()
	sh.ensureLocations(1, now)
	p := &product{ID: sh.id(), Status: "ACTIVE", Tags: []string{}, CreatedAt: now, UpdatedAt: now}
	applyProductInput(p, in, true, "")
	// A handle made from the title gets a suffix when taken: -1, -2, …
	for i, base := 1, p.Handle; sh.handleTaken(p.Handle, nil); i++ {
		p.Handle = fmt.Sprintf("%s-%d", base, i)
	}
	p.Options = buildOptions(gql.ArgObjects(in, "productOptions"), nil, sh.id)
	v := &variant{ID: sh.id(), Product: p, Price: "0.00", Position: 1, CreatedAt: now, UpdatedAt: now}
	v.Title = variantTitle(0, 1)
	if len(p.Options) > 0 {
		for _, o := range p.Options {
			if len(o.Values) > 0 {
				v.OptionValues = append(v.OptionValues, o.Values[0].Name)
			}
		}
		v.Title = strings.Join(v.OptionValues, " / ")
	}
	sh.addInventoryItem(v, sh.locations, func(int) int { return 0 }, now)
	sh.variantByID[v.ID] = v
	p.Variants = []*variant{v}
	sh.applyMetafieldWrites(&metafieldOwner{gql.GID("Product", p.ID), "PRODUCT", &p.Metafields}, writes)
	sh.insertProduct(p)
	sh.emit("products/create", productPayload(p))
	ec.applied = true
	return gql.Obj("", map[string]any{"product": p, "shop": sh, "userErrors": []*gql.Object{}}), nil
}

func productUpdate(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	sh := ec.sh
	in := productInputArg(args)
	refuse := func(path []any, msg string) (any, error) {
		return gql.Obj("", map[string]any{"product": nil, "userErrors": []*gql.Object{userErr("UserError", path, "", msg)}}), nil
	}
	var p *product
	ident := gql.ArgObject(args, "identifier")
	switch {
	case gql.ArgString(ident, "handle") != "":
		p = sh.productByHandle(gql.ArgString(ident, "handle"))
	case gql.ArgObject(ident, "customId") != nil:
		p = sh.productByCustomID(gql.ArgObject(ident, "customId"))
	default:
		id := gql.ArgString(ident, "id")
		if id == "" {
			id = gql.ArgString(in, "id")
		}
		n, _ := gql.ParseID(id, "Product")
		p = sh.productByID[n]
	}
	if p == nil {
		return refuse([]any{"id"}, "Product does not exist")
	}
	if t, ok := in["title"]; ok && (t == nil || t == "") {
		return refuse([]any{"title"}, "Title can't be blank")
	}
	if h := gql.ArgString(in, "handle"); h != "" && sh.handleTaken(h, p) {
		return refuse([]any{"handle"}, "Handle '"+h+"' already in use. Please provide a new handle.")
	}
	writes, problems := sh.checkMetafieldInputs(p.Metafields, gql.ArgObjects(in, "metafields"))
	if len(problems) > 0 {
		return refuse(problems[0].path(), problems[0].msg)
	}
	applyProductInput(p, in, false, "")
	sh.applyMetafieldWrites(&metafieldOwner{gql.GID("Product", p.ID), "PRODUCT", &p.Metafields}, writes)
	p.UpdatedAt = sh.now()
	sh.emit("products/update", productPayload(p))
	ec.applied = true
	return gql.Obj("", map[string]any{"product": p, "userErrors": []*gql.Object{}}), nil
}

func productDelete(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	sh := ec.sh
	n, _ := gql.ParseID(gql.ArgString(gql.ArgObject(args, "input"), "id"), "Product")
	p := sh.productByID[n]
	if p == nil {
		return gql.Obj("", map[string]any{"deletedProductId": nil, "productDeleteOperation": nil, "shop": sh,
			"userErrors": []*gql.Object{userErr("UserError", []any{"id"}, "", "Product does not exist")}}), nil
	}
	sh.removeProduct(p)
	sh.emit("products/delete", map[string]any{"id": p.ID})
	ec.applied = true
	out := map[string]any{"deletedProductId": gql.GID("Product", p.ID), "productDeleteOperation": nil, "shop": sh, "userErrors": []*gql.Object{}}
	if sync, given := args["synchronous"].(bool); given && !sync {
		out["deletedProductId"] = nil
		out["productDeleteOperation"] = sh.startProductOperation(p, true)
	}
	return gql.Obj("", out), nil
}
