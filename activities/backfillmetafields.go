package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// The metafields backfill kind: the ERP's product master data (material,
// country of origin, HS code) as typed product metafields in the "erp"
// namespace. Shopify's side is read a page of products at a time, only
// their IDs and erp metafields, or for a large backfill by one bulk query
// (backfillmetafieldsbulk.go); the ERP's side by one lookup per batch.

// metafieldsNamespace is where the ERP's attributes live on a product.
const metafieldsNamespace = "erp"

// metafieldDefs are the metafields the kind writes: key, type and the
// ERP attribute.
var metafieldDefs = []struct {
	key, typ string
	value    func(erp.ProductMaster) string
}{
	{"material", "single_line_text_field", func(p erp.ProductMaster) string { return p.Material }},
	{"country_of_origin", "single_line_text_field", func(p erp.ProductMaster) string { return p.CountryOfOrigin }},
	{"hs_code", "single_line_text_field", func(p erp.ProductMaster) string { return p.HSCode }},
}

// maxMetafieldsPage is the largest page whose requested cost stays within
// Shopify's limit: per product 1, plus its metafields connection (2 + one
// per metafield); plus 2 for the products connection.
var maxMetafieldsPage = min(admin.MaxPageSize, (admin.MaxQueryCost-2)/(3+len(metafieldDefs)))

// metafieldsKind implements BackfillKind for product metafields.
type metafieldsKind struct {
	erp     *erp.Client
	shopify *ShopifyClients
}

func newMetafieldsKind(deps BackfillDeps) BackfillKind {
	return &metafieldsKind{erp: deps.ERP, shopify: deps.Shopify}
}

// fieldName is a metafield's field name, e.g. "erp.material".
func fieldName(namespace, key string) string { return namespace + "." + key }

func (k *metafieldsKind) Count(ctx context.Context, shop, filter string) (int, error) {
	c, err := k.shopify.ForBackfill(shop)
	if err != nil {
		return 0, err
	}
	resp, err := admin.ProductsCount(ctx, c, filter)
	if err != nil {
		return 0, err
	}
	return resp.ProductsCount.Count, nil
}

func (k *metafieldsKind) Read(ctx context.Context, shop, filter, cursor string, limit int) (BackfillPage, error) {
	c, err := k.shopify.ForBackfill(shop)
	if err != nil {
		return BackfillPage{}, err
	}
	limit = max(1, min(limit, erp.MaxProductMasterLookup, maxMetafieldsPage))
	resp, err := admin.ProductsWithMetafields(ctx, c, limit, cursor, filter, metafieldsNamespace, len(metafieldDefs))
	if err != nil {
		return BackfillPage{}, err
	}
	items, ids, err := metafieldItems(resp.Products.Nodes)
	if err != nil {
		return BackfillPage{}, err
	}
	if err := k.want(ctx, items, ids); err != nil {
		return BackfillPage{}, err
	}
	pi := resp.Products.PageInfo
	return BackfillPage{Items: items, Next: pi.EndCursor, More: pi.HasNextPage && pi.EndCursor != ""}, nil
}

// want fills in the items' Want from the ERP's master data; ids are the
// items' numeric product IDs.
func (k *metafieldsKind) want(ctx context.Context, items []BackfillItem, ids []int64) error {
	masters, err := k.erp.ProductMasters(ctx, ids)
	if err != nil {
		return err
	}
	for i := range items {
		p, ok := masters[ids[i]]
		if !ok {
			continue // the ERP knows nothing of it: nothing to write
		}
		for _, d := range metafieldDefs {
			if v := d.value(p); v != "" {
				items[i].Want[fieldName(metafieldsNamespace, d.key)] = erp.FieldValue{Type: d.typ, Value: v}
			}
		}
	}
	return nil
}

// metafieldItems turns products into items holding their erp metafields,
// and returns their numeric IDs, for the ERP lookup.
func metafieldItems(products []admin.ProductWithMetafields) ([]BackfillItem, []int64, error) {
	items := make([]BackfillItem, len(products))
	ids := make([]int64, len(products))
	for i, p := range products {
		_, id, err := admin.ParseGID(p.Id)
		if err != nil {
			return nil, nil, err
		}
		ids[i] = id
		items[i] = BackfillItem{ID: p.Id, Current: Fields{}, Want: Fields{}}
		for _, m := range p.Metafields.Nodes {
			items[i].Current[fieldName(m.Namespace, m.Key)] = erp.FieldValue{Type: m.Type, Value: m.Value}
		}
	}
	return items, ids, nil
}

func (k *metafieldsKind) Diff(item BackfillItem) []erp.FieldChange { return DiffFields(item) }

func (k *metafieldsKind) Current(ctx context.Context, shop string, items []string) (map[string]Fields, error) {
	c, err := k.shopify.ForBackfill(shop)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Fields, len(items))
	for start := 0; start < len(items); start += maxMetafieldsPage {
		chunk := items[start:min(start+maxMetafieldsPage, len(items))]
		terms := make([]string, len(chunk))
		for i, gid := range chunk {
			_, id, err := admin.ParseGID(gid)
			if err != nil {
				return nil, err
			}
			terms[i] = "id:" + strconv.FormatInt(id, 10)
		}
		resp, err := admin.ProductsWithMetafields(ctx, c, len(chunk), "", strings.Join(terms, " OR "), metafieldsNamespace, len(metafieldDefs))
		if err != nil {
			return nil, err
		}
		got, _, err := metafieldItems(resp.Products.Nodes)
		if err != nil {
			return nil, err
		}
		for _, it := range got {
			out[it.ID] = it.Current
		}
		heartbeat(ctx)
	}
	return out, nil
}

// Write sets metafields in metafieldsSet calls of up to 25, across
// products, and removes those whose After is nil in metafieldsDelete calls
// of up to 25. metafieldsSet is atomic: when Shopify refuses some elements
// of a call, they fail for good and the call is sent again without them.
func (k *metafieldsKind) Write(ctx context.Context, shop string, changes []erp.FieldChange) (map[int]error, error) {
	c, err := k.shopify.ForBackfill(shop)
	if err != nil {
		return nil, err
	}
	failed := map[int]error{}
	var sets, deletes []int
	for i, ch := range changes {
		if ch.After == nil {
			deletes = append(deletes, i)
		} else {
			sets = append(sets, i)
		}
	}
	for start := 0; start < len(sets); start += admin.MaxMetafieldsPerSet {
		if err := k.set(ctx, c, changes, sets[start:min(start+admin.MaxMetafieldsPerSet, len(sets))], failed); err != nil {
			return nil, err
		}
		heartbeat(ctx)
	}
	for start := 0; start < len(deletes); start += admin.MaxMetafieldsPerSet {
		chunk := deletes[start:min(start+admin.MaxMetafieldsPerSet, len(deletes))]
		in := make([]admin.MetafieldIdentifierInput, len(chunk))
		for j, i := range chunk {
			ns, key, _ := strings.Cut(changes[i].Field, ".")
			in[j] = admin.MetafieldIdentifierInput{OwnerId: changes[i].Item, Namespace: ns, Key: key}
		}
		if _, err := admin.DeleteMetafields(ctx, c, in); err != nil {
			var ue *admin.UserErrors
			if !errors.As(err, &ue) {
				return nil, err
			}
			for _, i := range chunk {
				failed[i] = err
			}
		}
		heartbeat(ctx)
	}
	return failed, nil
}

// set writes the changes at indexes in one metafieldsSet, leaving out and
// failing the elements Shopify refuses.
func (k *metafieldsKind) set(ctx context.Context, c *admin.Client, changes []erp.FieldChange, indexes []int, failed map[int]error) error {
	for len(indexes) > 0 {
		in := make([]admin.MetafieldsSetInput, len(indexes))
		for j, i := range indexes {
			ns, key, _ := strings.Cut(changes[i].Field, ".")
			in[j] = admin.MetafieldsSetInput{OwnerId: changes[i].Item, Namespace: ns, Key: key,
				Type: changes[i].After.Type, Value: changes[i].After.Value}
		}
		_, err := admin.SetMetafields(ctx, c, in)
		var ue *admin.UserErrors
		if err == nil || !errors.As(err, &ue) {
			return err
		}
		var keep []int
		refused := map[int]bool{}
		for _, e := range ue.Errors {
			if e.ElementIndex >= 0 && e.ElementIndex < len(indexes) {
				refused[e.ElementIndex] = true
				failed[indexes[e.ElementIndex]] = fmt.Errorf("%s", e.Message)
			}
		}
		if len(refused) == 0 {
			// Shopify did not say which: fail them all rather than loop.
			for _, i := range indexes {
				failed[i] = err
			}
			return nil
		}
		for j, i := range indexes {
			if !refused[j] {
				keep = append(keep, i)
			}
		}
		indexes = keep
	}
	return nil
}
