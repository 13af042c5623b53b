package shopifysim

import (
	"reflect"
	"testing"
)

// newCustomerEnv gives a shop one order, hence one customer, and returns
// the order.
func newCustomerEnv(t *testing.T) (*testEnv, Order) {
	t.Helper()
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 1, VariantsPerProduct: 1, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	cat, _ := e.sim.Catalog(testShop)
	o, err := e.sim.CreateOrder(testShop, OrderInput{LineItems: []LineItemInput{{VariantID: cat[0].Variants[0].ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	return e, o
}

const (
	customerSet = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
	  metafields { namespace key value ownerType owner { ... on Customer { id } } } userErrors { field code elementIndex } } }`
	customerDelete = `mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) {
	  deletedMetafields { ownerId namespace key } userErrors { field message } } }`
	customerRead = `query($id: ID!) {
	  customer(id: $id) { id displayName metafields(first: 5) { nodes { namespace key value } } metafield(namespace: "erp", key: "account") { value } }
	  node(id: $id) { ... on Customer { id metafield(namespace: "erp", key: "account") { value } } } }`
)

// The order's customer is the one its orders/create payload names, and it
// is reachable from the order, by customer(id:) and by node(id:).
func TestOrderHasItsPayloadsCustomer(t *testing.T) {
	e, o := newCustomerEnv(t)
	if o.CustomerID != "gid://shopify/Customer/9000001001" {
		t.Fatalf("order #1001's customer %q", o.CustomerID)
	}
	sh, _ := e.sim.shop(testShop)
	sh.mu.RLock()
	payload := sh.orderPayload(sh.orders[0])
	sh.mu.RUnlock()
	if got := dig(payload, "customer", "admin_graphql_api_id"); got != o.CustomerID {
		t.Errorf("orders/create payload names customer %v, GraphQL %s", got, o.CustomerID)
	}
	r := e.gql(t, `query($id: ID!) { order(id: $id) { customer { id legacyResourceId email } } }`, map[string]any{"id": o.ID})
	mustNoErrors(t, r)
	if dig(r.Data, "order", "customer", "id") != o.CustomerID || dig(r.Data, "order", "customer", "legacyResourceId") != "9000001001" ||
		dig(r.Data, "order", "customer", "email") != "customer1001@example.com" {
		t.Errorf("order's customer: %s", r.Raw)
	}
	r = e.gql(t, customerRead, map[string]any{"id": o.CustomerID})
	mustNoErrors(t, r)
	if dig(r.Data, "customer", "id") != o.CustomerID || dig(r.Data, "node", "id") != o.CustomerID ||
		dig(r.Data, "customer", "displayName") != "Sam Simulated" {
		t.Errorf("customer by id and node: %s", r.Raw)
	}
}

// A customer's metafield is set, read back through customer(id:) and
// node(id:), and deleted, like any other owner's.
func TestCustomerMetafieldsSetReadDelete(t *testing.T) {
	e, o := newCustomerEnv(t)
	mf := map[string]any{"ownerId": o.CustomerID, "namespace": "erp", "key": "account", "type": "single_line_text_field", "value": "C-42"}
	r := e.gql(t, customerSet, map[string]any{"m": []any{mf}})
	mustNoErrors(t, r)
	set := dig(r.Data, "metafieldsSet", "metafields", 0)
	if dig(set, "value") != "C-42" || dig(set, "ownerType") != "CUSTOMER" || dig(set, "owner", "id") != o.CustomerID ||
		len(dig(r.Data, "metafieldsSet", "userErrors").([]any)) != 0 {
		t.Fatalf("set: %s", r.Raw)
	}

	r = e.gql(t, customerRead, map[string]any{"id": o.CustomerID})
	mustNoErrors(t, r)
	if dig(r.Data, "customer", "metafield", "value") != "C-42" || dig(r.Data, "node", "metafield", "value") != "C-42" ||
		dig(r.Data, "customer", "metafields", "nodes", 0, "key") != "account" {
		t.Fatalf("read back: %s", r.Raw)
	}

	r = e.gql(t, customerDelete, map[string]any{"m": []any{map[string]any{"ownerId": o.CustomerID, "namespace": "erp", "key": "account"}}})
	mustNoErrors(t, r)
	if dig(r.Data, "metafieldsDelete", "deletedMetafields", 0, "ownerId") != o.CustomerID ||
		dig(r.Data, "metafieldsDelete", "deletedMetafields", 0, "key") != "account" {
		t.Fatalf("delete: %s", r.Raw)
	}
	r = e.gql(t, customerRead, map[string]any{"id": o.CustomerID})
	mustNoErrors(t, r)
	if dig(r.Data, "customer", "metafield") != nil || len(dig(r.Data, "customer", "metafields", "nodes").([]any)) != 0 {
		t.Errorf("after delete: %s", r.Raw)
	}
}

// An unknown customer gets exactly what an unknown order gets: set refused
// with INVALID_VALUE on ownerId, delete a null entry and no error, reads
// null.
func TestUnknownCustomerIsLikeAnUnknownOwner(t *testing.T) {
	e, _ := newCustomerEnv(t)
	answers := func(owner string) (set, del any) {
		mf := map[string]any{"ownerId": owner, "namespace": "erp", "key": "account", "type": "single_line_text_field", "value": "x"}
		r := e.gql(t, customerSet, map[string]any{"m": []any{mf}})
		mustNoErrors(t, r)
		d := e.gql(t, customerDelete, map[string]any{"m": []any{map[string]any{"ownerId": owner, "namespace": "erp", "key": "account"}}})
		mustNoErrors(t, d)
		return r.Data, d.Data
	}
	set, del := answers("gid://shopify/Customer/1")
	if dig(set, "metafieldsSet", "userErrors", 0, "code") != "INVALID_VALUE" ||
		!reflect.DeepEqual(dig(set, "metafieldsSet", "userErrors", 0, "field"), []any{"metafields", "0", "ownerId"}) ||
		len(dig(set, "metafieldsSet", "metafields").([]any)) != 0 {
		t.Errorf("set for an unknown customer: %v", set)
	}
	if d := dig(del, "metafieldsDelete", "deletedMetafields"); !reflect.DeepEqual(d, []any{nil}) {
		t.Errorf("delete for an unknown customer: %v", del)
	}
	orderSet, orderDel := answers("gid://shopify/Order/1")
	if !reflect.DeepEqual(set, orderSet) || !reflect.DeepEqual(del, orderDel) {
		t.Errorf("unknown customer %v %v, unknown order %v %v", set, del, orderSet, orderDel)
	}
	r := e.gql(t, customerRead, map[string]any{"id": "gid://shopify/Customer/1"})
	mustNoErrors(t, r)
	if r.Data["customer"] != nil || r.Data["node"] != nil {
		t.Errorf("reading an unknown customer: %s", r.Raw)
	}
}
