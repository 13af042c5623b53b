package shopifysim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"

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

// metafieldOwner finds the owner a metafield may be set on. Callers hold mu.
func (sh *shop) metafieldOwner(ownerID string) (*product, string) {
	id, ok := gql.ParseID(ownerID, "Product")
	if !ok {
		return nil, ""
	}
	p := sh.productByID[id]
	if p == nil {
		return nil, ""
	}
	return p, "PRODUCT"
}

// defaultMetafieldNamespace is the app-reserved namespace Shopify uses
// when metafieldsSet omits the namespace.
const defaultMetafieldNamespace = "$app"

func init() {
	register("Mutation", map[string]resolver{
		"metafieldsSet":    metafieldsSet,
		"metafieldsDelete": metafieldsDelete,
	})
}

func metafieldsSet(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "MetafieldsSetUserError"
	inputs := gql.ArgObjects(args, "metafields")
	fail := func(i int, fld, code, msg string) (any, error) {
		e := userErr(errType, []any{"metafields", strconv.Itoa(i), fld}, code, msg)
		e.Fields["elementIndex"] = i
		return gql.Obj("", map[string]any{"metafields": nil, "userErrors": []*gql.Object{e}}), nil
	}
	if len(inputs) > 25 {
		return nil, gql.Errorf("MAX_INPUT_SIZE_EXCEEDED", "The input array size of %d is greater than the maximum allowed of 25.", len(inputs))
	}
	type write struct {
		owner    *product
		existing *metafield
		in       map[string]any
		ns       string
	}
	var writes []write
	for i, in := range inputs {
		owner, _ := ec.sh.metafieldOwner(gql.ArgString(in, "ownerId"))
		if owner == nil {
			return fail(i, "ownerId", "INVALID_VALUE", "Owner does not exist.")
		}
		ns := gql.ArgString(in, "namespace")
		if ns == "" {
			ns = defaultMetafieldNamespace
		}
		key := gql.ArgString(in, "key")
		if len(key) < 2 {
			return fail(i, "key", "TOO_SHORT", "Key is too short (minimum is 2 characters)")
		}
		var existing *metafield
		for _, m := range owner.Metafields {
			if m.Namespace == ns && m.Key == key {
				existing = m
			}
		}
		if existing == nil && gql.ArgString(in, "type") == "" {
			return fail(i, "type", "BLANK", "Type can't be blank")
		}
		if digest, present := in["compareDigest"]; present {
			switch d := digest.(type) {
			case nil:
				if existing != nil {
					return fail(i, "compareDigest", "STALE_OBJECT", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.")
				}
			case string:
				if existing == nil || existing.digest() != d {
					return fail(i, "compareDigest", "STALE_OBJECT", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.")
				}
			}
		}
		if t := gql.ArgString(in, "type"); existing != nil && t != "" && t != existing.Type {
			return fail(i, "type", "INVALID_TYPE", "Type must match the existing metafield's type.")
		}
		typ := gql.ArgString(in, "type")
		if existing != nil {
			typ = existing.Type
		}
		if msg := invalidMetafieldValue(typ, gql.ArgString(in, "value")); msg != "" {
			return fail(i, "value", "INVALID_VALUE", msg)
		}
		writes = append(writes, write{owner: owner, existing: existing, in: in, ns: ns})
	}
	now := ec.sh.now()
	out := make([]any, 0, len(writes))
	for _, w := range writes {
		m := w.existing
		if m == nil {
			m = &metafield{ID: ec.sh.id(), OwnerGID: gql.GID("Product", w.owner.ID), OwnerType: "PRODUCT",
				Namespace: w.ns, Key: gql.ArgString(w.in, "key"), Type: gql.ArgString(w.in, "type"), CreatedAt: now}
			w.owner.Metafields = append(w.owner.Metafields, m)
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
	var errs []*gql.Object
	for i, in := range inputs {
		owner, _ := ec.sh.metafieldOwner(gql.ArgString(in, "ownerId"))
		if owner == nil {
			errs = append(errs, userErr("UserError", []any{"metafields", strconv.Itoa(i), "ownerId"}, "", "Owner does not exist."))
			deleted = append(deleted, nil)
			continue
		}
		ns, key := gql.ArgString(in, "namespace"), gql.ArgString(in, "key")
		var found *metafield
		for j, m := range owner.Metafields {
			if m.Namespace == ns && m.Key == key {
				found = m
				owner.Metafields = append(owner.Metafields[:j], owner.Metafields[j+1:]...)
				delete(ec.sh.metafields, m.ID)
				break
			}
		}
		if found == nil {
			// Shopify reports a metafield that did not exist as null.
			deleted = append(deleted, nil)
			continue
		}
		ec.applied = true
		deleted = append(deleted, gql.Obj("MetafieldIdentifier", map[string]any{
			"ownerId": gql.ArgString(in, "ownerId"), "namespace": ns, "key": key,
		}))
	}
	if errs == nil {
		errs = []*gql.Object{}
	}
	return gql.Obj("", map[string]any{"deletedMetafields": deleted, "userErrors": errs}), nil
}

// invalidMetafieldValue says why value is not a valid value of the
// metafield type, as Shopify validates it, or "" when it is.
func invalidMetafieldValue(typ, value string) string {
	switch typ {
	case "number_integer":
		if _, err := strconv.ParseInt(value, 10, 64); err != nil {
			return "Value must be an integer."
		}
	case "number_decimal":
		if _, err := strconv.ParseFloat(value, 64); err != nil {
			return "Value must be a decimal."
		}
	case "boolean":
		if value != "true" && value != "false" {
			return "Value must be true or false."
		}
	case "json":
		if !json.Valid([]byte(value)) {
			return "Value must be valid JSON."
		}
	}
	return ""
}
