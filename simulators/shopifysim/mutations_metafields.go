package shopifysim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// digest is the metafield's compareDigest: it changes whenever the value
// or type does, which is what compare-and-set needs.
func (m *metafield) digest() string {
	h := sha256.Sum256([]byte(m.Type + "\x00" + m.Value + "\x00" + strconv.FormatInt(m.UpdatedAt.UnixNano(), 10)))
	return hex.EncodeToString(h[:])
}

// metafieldJSONValue decodes the value by type, as jsonValue does.
func metafieldJSONValue(m *metafield) any {
	switch m.Type {
	case "single_line_text_field", "multi_line_text_field", "url", "color", "date", "date_time":
		return m.Value
	}
	var v any
	if err := json.Unmarshal([]byte(m.Value), &v); err != nil {
		return m.Value
	}
	return v
}

// metafieldOwner is a resource metafields can be set on.
type metafieldOwner struct {
	gid  string
	typ  string        // ownerType: PRODUCT, PRODUCTVARIANT, ORDER, CUSTOMER, SHOP
	list *[]*metafield // the owner's metafields
}

// findMetafieldOwner finds the owner a metafield may be set on: a product,
// variant, order, customer or the shop itself. Callers hold mu.
func (sh *shop) findMetafieldOwner(ownerID string) *metafieldOwner {
	rest, ok := strings.CutPrefix(ownerID, "gid://shopify/")
	if !ok {
		return nil
	}
	typ, _, _ := strings.Cut(rest, "/")
	id, ok := gql.ParseID(ownerID, typ)
	if !ok {
		return nil
	}
	gid := gql.GID(typ, id)
	switch typ {
	case "Product":
		if p := sh.productByID[id]; p != nil {
			return &metafieldOwner{gid, "PRODUCT", &p.Metafields}
		}
	case "ProductVariant":
		if v := sh.variantByID[id]; v != nil {
			return &metafieldOwner{gid, "PRODUCTVARIANT", &v.Metafields}
		}
	case "Order":
		if o := sh.orderByID[id]; o != nil {
			return &metafieldOwner{gid, "ORDER", &o.Metafields}
		}
	case "Customer":
		if c := sh.customers[id]; c != nil {
			return &metafieldOwner{gid, "CUSTOMER", &c.Metafields}
		}
	case "Shop":
		if gid == shopGID(sh) {
			return &metafieldOwner{gid, "SHOP", &sh.shopFields}
		}
	}
	return nil
}

// shopGID is the shop's own global id.
func shopGID(sh *shop) string { return gql.GID("Shop", int64(hashString(sh.cfg.Domain)>>34)+1) }

// defaultMetafieldNamespace is the app-reserved namespace Shopify uses
// when metafieldsSet omits the namespace.
const defaultMetafieldNamespace = "$app"

// maxMetafieldsPerSet is how many metafields one metafieldsSet takes.
const maxMetafieldsPerSet = 25

func init() {
	register("Mutation", map[string]resolver{
		"metafieldsSet":    metafieldsSet,
		"metafieldsDelete": metafieldsDelete,
	})
}

const staleDigestMessage = "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value."

func metafieldsSet(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "MetafieldsSetUserError"
	inputs := gql.ArgObjects(args, "metafields")
	var errs []*gql.Object
	// Shopify reports every invalid input, with no elementIndex, and then
	// writes nothing: metafields is [].
	fail := func(path []any, code, msg string) {
		e := userErr(errType, path, code, msg)
		e.Fields["elementIndex"] = nil
		errs = append(errs, e)
	}
	refused := func() (any, error) {
		return gql.Obj("", map[string]any{"metafields": []any{}, "userErrors": errs}), nil
	}
	if len(inputs) > maxMetafieldsPerSet {
		fail([]any{"metafields"}, "LESS_THAN_OR_EQUAL_TO",
			fmt.Sprintf("Exceeded the maximum metafields input limit of %d.", maxMetafieldsPerSet))
		return refused()
	}
	type write struct {
		owner    *metafieldOwner
		existing *metafield
		in       map[string]any
		ns       string
	}
	var writes []write
	for i, in := range inputs {
		at := func(fld string) []any { return []any{"metafields", strconv.Itoa(i), fld} }
		owner := ec.sh.findMetafieldOwner(gql.ArgString(in, "ownerId"))
		if owner == nil {
			fail(at("ownerId"), "INVALID_VALUE", "Owner does not exist.")
			continue
		}
		ns := gql.ArgString(in, "namespace")
		if ns == "" {
			ns = defaultMetafieldNamespace
		}
		key := gql.ArgString(in, "key")
		if len(key) < 2 {
			fail(at("key"), "TOO_SHORT", "Key is too short (minimum is 2 characters)")
			continue
		}
		var existing *metafield
		for _, m := range *owner.list {
			if m.Namespace == ns && m.Key == key {
				existing = m
			}
		}
		if existing == nil && gql.ArgString(in, "type") == "" {
			fail(at("type"), "BLANK", "Type can't be blank")
			continue
		}
		if t := gql.ArgString(in, "type"); t != "" && !knownMetafieldType(t) {
			fail(at("type"), "INVALID_TYPE", "Type is not a valid metafield type.")
			continue
		}
		if digest, present := in["compareDigest"]; present {
			switch d := digest.(type) {
			case nil:
				if existing != nil {
					fail([]any{"metafields", strconv.Itoa(i)}, "STALE_OBJECT", staleDigestMessage)
					continue
				}
			case string:
				if existing == nil {
					fail(at("compareDigest"), "INVALID_COMPARE_DIGEST", "The compareDigest is invalid.")
					continue
				}
				if existing.digest() != d {
					fail([]any{"metafields", strconv.Itoa(i)}, "STALE_OBJECT", staleDigestMessage)
					continue
				}
			}
		}
		if t := gql.ArgString(in, "type"); existing != nil && t != "" && t != existing.Type {
			fail(at("type"), "INVALID_TYPE", "Type must match the existing metafield's type.")
			continue
		}
		typ := gql.ArgString(in, "type")
		if existing != nil {
			typ = existing.Type
		}
		if msg := invalidMetafieldValue(typ, gql.ArgString(in, "value")); msg != "" {
			fail(at("value"), "INVALID_VALUE", msg)
			continue
		}
		writes = append(writes, write{owner: owner, existing: existing, in: in, ns: ns})
	}
	if len(errs) > 0 {
		return refused()
	}
	now := ec.sh.now()
	out := make([]any, 0, len(writes))
	for _, w := range writes {
		m := w.existing
		if m == nil {
			m = &metafield{ID: ec.sh.id(), OwnerGID: w.owner.gid, OwnerType: w.owner.typ,
				Namespace: w.ns, Key: gql.ArgString(w.in, "key"), Type: gql.ArgString(w.in, "type"), CreatedAt: now}
			*w.owner.list = append(*w.owner.list, m)
			ec.sh.metafields[m.ID] = m
		}
		m.Value = gql.ArgString(w.in, "value")
		m.UpdatedAt = ec.sh.sim.clock().UTC()
		out = append(out, m)
	}
	ec.applied = len(writes) > 0
	return gql.Obj("", map[string]any{"metafields": out, "userErrors": []*gql.Object{}}), nil
}

func metafieldsDelete(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	inputs := gql.ArgObjects(args, "metafields")
	deleted := make([]any, 0, len(inputs))
	for _, in := range inputs {
		// An unknown owner, like an unknown metafield, is a null entry
		// and no error, as on Shopify.
		owner := ec.sh.findMetafieldOwner(gql.ArgString(in, "ownerId"))
		if owner == nil {
			deleted = append(deleted, nil)
			continue
		}
		ns, key := gql.ArgString(in, "namespace"), gql.ArgString(in, "key")
		var found *metafield
		for j, m := range *owner.list {
			if m.Namespace == ns && m.Key == key {
				found = m
				*owner.list = append((*owner.list)[:j], (*owner.list)[j+1:]...)
				delete(ec.sh.metafields, m.ID)
				break
			}
		}
		if found == nil {
			deleted = append(deleted, nil)
			continue
		}
		ec.applied = true
		deleted = append(deleted, gql.Obj("MetafieldIdentifier", map[string]any{
			"ownerId": gql.ArgString(in, "ownerId"), "namespace": ns, "key": key,
		}))
	}
	return gql.Obj("", map[string]any{"deletedMetafields": deleted, "userErrors": []*gql.Object{}}), nil
}

// invalidMetafieldValue says why value is not a valid value of the
// metafield type, as Shopify validates it, or "" when it is.
func invalidMetafieldValue(typ, value string) string {
	return invalidTypedValue(typ, value) // every type: metafield_types.go
}
