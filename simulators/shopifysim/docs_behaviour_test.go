package shopifysim

import (
	"fmt"
	"strings"
	"testing"
)

// Behaviour behind the Shopify documentation examples of the conformance
// suite (testdata/conformance/shopify_docs.json) that a shape comparison
// cannot see: what is stored, found again and delivered.

func TestWebhookCloudEndpoints(t *testing.T) {
	e := newEnv(t, nil)
	seed(t, e, 1, 1, 1)
	create := `mutation($t: WebhookSubscriptionTopic!, $u: String!) { webhookSubscriptionCreate(topic: $t, webhookSubscription: {uri: $u, metafieldNamespaces: ["custom"], metafields: [{namespace: "custom", key: "colour"}]}) {
		webhookSubscription { uri metafieldNamespaces metafields { namespace key } endpoint { __typename ... on WebhookPubSubEndpoint { pubSubProject pubSubTopic } ... on WebhookEventBridgeEndpoint { arn } } }
		userErrors { field message } } }`
	r := e.gql(t, create, map[string]any{"t": "PRODUCTS_UPDATE", "u": "pubsub://my-gcp-project:my-topic"})
	mustNoErrors(t, r)
	sub := dig(r.Data, "webhookSubscriptionCreate", "webhookSubscription")
	if dig(sub, "endpoint", "__typename") != "WebhookPubSubEndpoint" || dig(sub, "endpoint", "pubSubProject") != "my-gcp-project" ||
		dig(sub, "endpoint", "pubSubTopic") != "my-topic" || dig(sub, "metafieldNamespaces", 0) != "custom" || dig(sub, "metafields", 0, "key") != "colour" {
		t.Fatalf("pubsub subscription: %s", r.Raw)
	}
	arn := "arn:aws:events:us-east-1::event-source/aws.partner/shopify.com/1002334195/test-event-source"
	r = e.gql(t, create, map[string]any{"t": "PRODUCTS_UPDATE", "u": arn})
	if dig(r.Data, "webhookSubscriptionCreate", "webhookSubscription", "endpoint", "arn") != arn {
		t.Fatalf("eventbridge subscription: %s", r.Raw)
	}
	for _, bad := range []string{"pubsub://Bad_Project:topic", "pubsub://my-gcp-project", "arn:aws:sqs:us-east-1:1:queue"} {
		r = e.gql(t, create, map[string]any{"t": "PRODUCTS_UPDATE", "u": bad})
		if dig(r.Data, "webhookSubscriptionCreate", "userErrors", 0, "field", 1) != "callbackUrl" {
			t.Errorf("%s accepted: %s", bad, r.Raw)
		}
	}
	// Nothing is delivered to cloud endpoints: no HTTP attempt.
	cat, _ := e.sim.Catalog(testShop)
	if _, err := e.sim.UpdateProduct(testShop, cat[0].ID, ProductInput{Title: "Renamed"}); err != nil {
		t.Fatal(err)
	}
	if st := e.sim.Stats(testShop); st.WebhooksEmitted != 0 || st.WebhookAttempts != 0 {
		t.Errorf("cloud subscriptions were delivered to: %+v", st)
	}
}

func TestProductSetUpsertAndAsync(t *testing.T) {
	e := newEnv(t, nil)
	set := `mutation($in: ProductSetInput!, $id: ProductSetIdentifiers, $sync: Boolean) { productSet(input: $in, identifier: $id, synchronous: $sync) {
		product { id title handle metafield(namespace: "custom", key: "id") { value type } }
		productSetOperation { id status product { id } } userErrors { field code } } }`
	byCustomID := map[string]any{"customId": map[string]any{"namespace": "custom", "key": "id", "value": "12345"}}
	r1 := e.gql(t, set, map[string]any{"in": map[string]any{"title": "Summer sandals"}, "id": byCustomID})
	r2 := e.gql(t, set, map[string]any{"in": map[string]any{"title": "Summer sandals II"}, "id": byCustomID})
	p1, p2 := dig(r1.Data, "productSet", "product"), dig(r2.Data, "productSet", "product")
	if dig(p1, "id") == nil || dig(p1, "id") != dig(p2, "id") || dig(p2, "title") != "Summer sandals II" || dig(p1, "metafield", "value") != "12345" {
		t.Fatalf("upsert by custom id:\n%s\n%s", r1.Raw, r2.Raw)
	}
	byHandle := map[string]any{"handle": "winter-hat"}
	r1 = e.gql(t, set, map[string]any{"in": map[string]any{"title": "Winter hat"}, "id": byHandle})
	r2 = e.gql(t, set, map[string]any{"in": map[string]any{"title": "Warm hat"}, "id": byHandle})
	if dig(r1.Data, "productSet", "product", "handle") != "winter-hat" || dig(r1.Data, "productSet", "product", "id") != dig(r2.Data, "productSet", "product", "id") {
		t.Fatalf("upsert by handle:\n%s\n%s", r1.Raw, r2.Raw)
	}

	r := e.gql(t, set, map[string]any{"in": map[string]any{"title": "Later"}, "sync": false})
	mustNoErrors(t, r)
	op := dig(r.Data, "productSet", "productSetOperation")
	if dig(r.Data, "productSet", "product") != nil || dig(op, "status") != "CREATED" || dig(op, "product") != nil {
		t.Fatalf("asynchronous productSet: %s", r.Raw)
	}
	read := e.gql(t, `query($id: ID!) { productOperation(id: $id) { status product { title } } node(id: $id) { id } }`, map[string]any{"id": dig(op, "id")})
	mustNoErrors(t, read)
	if dig(read.Data, "productOperation", "status") != "COMPLETE" || dig(read.Data, "productOperation", "product", "title") != "Later" || dig(read.Data, "node", "id") != dig(op, "id") {
		t.Fatalf("operation read afterwards: %s", read.Raw)
	}
}

func TestProductSetOptions(t *testing.T) {
	e := newEnv(t, nil)
	set := `mutation($in: ProductSetInput!) { productSet(input: $in) {
		product { options { name values optionValues { name hasVariants } } variants(first: 10) { nodes { title price selectedOptions { name value optionValue { name } } } } }
		userErrors { field code } } }`
	opts := []any{
		map[string]any{"name": "Width", "position": 2, "values": []any{map[string]any{"name": "Slim"}, map[string]any{"name": "Classic"}}},
		map[string]any{"name": "Pattern", "position": 1, "values": []any{map[string]any{"name": "Plain"}, map[string]any{"name": "Stripes"}}},
	}
	variant := func(pattern, width string) map[string]any {
		return map[string]any{"price": 15, "optionValues": []any{
			map[string]any{"optionName": "Pattern", "name": pattern}, map[string]any{"optionName": "Width", "name": width}}}
	}
	r := e.gql(t, set, map[string]any{"in": map[string]any{"title": "A humble tie", "productOptions": opts,
		"variants": []any{variant("Plain", "Slim"), variant("Stripes", "Slim")}}})
	mustNoErrors(t, r)
	p := dig(r.Data, "productSet", "product")
	if dig(p, "options", 0, "name") != "Pattern" || dig(p, "options", 1, "name") != "Width" ||
		dig(p, "options", 1, "optionValues", 1, "hasVariants") != false || dig(p, "options", 1, "optionValues", 0, "hasVariants") != true {
		t.Errorf("options: %s", r.Raw)
	}
	v := dig(p, "variants", "nodes", 1)
	if dig(v, "title") != "Stripes / Slim" || dig(v, "price") != "15.00" || dig(v, "selectedOptions", 1, "optionValue", "name") != "Slim" {
		t.Errorf("variant: %s", r.Raw)
	}
	r = e.gql(t, set, map[string]any{"in": map[string]any{"title": "Bad", "productOptions": opts, "variants": []any{variant("Dots", "Slim")}}})
	if e := dig(r.Data, "productSet", "userErrors", 0); fmt.Sprint(dig(e, "field")) != "[input variants 0 optionValues 0]" || dig(e, "code") != "OPTION_VALUE_DOES_NOT_EXIST" {
		t.Errorf("unknown option value: %s", r.Raw)
	}
}

func TestProductVariantsAtLocation(t *testing.T) {
	e := newEnv(t, nil)
	seed(t, e, 3, 1, 2)
	cat, _ := e.sim.Catalog(testShop)
	locs, _ := e.sim.Locations(testShop)
	for i, qty := range []int{7, 2, 5} {
		if err := e.sim.SetStock(testShop, cat[i].Variants[0].InventoryItemID, locs[1].ID, "available", qty); err != nil {
			t.Fatal(err)
		}
	}
	loc := locs[1].ID[strings.LastIndex(locs[1].ID, "/")+1:]
	r := e.gql(t, `query($q: String) { productVariants(first: 5, query: $q, sortKey: INVENTORY_LEVELS_AVAILABLE) { nodes { id } } }`,
		map[string]any{"q": "location_id:" + loc})
	mustNoErrors(t, r)
	got := fmt.Sprint(dig(r.Data, "productVariants", "nodes", 0, "id"), dig(r.Data, "productVariants", "nodes", 1, "id"), dig(r.Data, "productVariants", "nodes", 2, "id"))
	if want := fmt.Sprint(cat[1].Variants[0].ID, cat[2].Variants[0].ID, cat[0].Variants[0].ID); got != want {
		t.Errorf("by available at %s: %s, want %s", loc, got, want)
	}
	// quantities(names: "available"): a single name is a list of one.
	r = e.gql(t, `query($id: ID!, $l: ID!) { productVariant(id: $id) { inventoryItem { inventoryLevel(locationId: $l) { quantities(names: "available") { quantity } } } } }`,
		map[string]any{"id": cat[0].Variants[0].ID, "l": locs[1].ID})
	if q := dig(r.Data, "productVariant", "inventoryItem", "inventoryLevel", "quantities", 0, "quantity"); q != 7.0 {
		t.Errorf("quantities: %s", r.Raw)
	}
}

func TestVariantsBulkUpdateMetafields(t *testing.T) {
	e := newEnv(t, nil)
	seed(t, e, 1, 2, 1)
	cat, _ := e.sim.Catalog(testShop)
	update := `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) {
		productVariants { compareAtPrice metafields(first: 5) { nodes { id key value } } } userErrors { field code } } }`
	mf := func(key, value string) map[string]any {
		return map[string]any{"namespace": "my_fields", "key": key, "type": "number_integer", "value": value}
	}
	r := e.gql(t, update, map[string]any{"p": cat[0].ID, "v": []any{map[string]any{"id": cat[0].Variants[0].ID, "compareAtPrice": "20", "metafields": []any{mf("pack", "6")}}}})
	mustNoErrors(t, r)
	v := dig(r.Data, "productVariantsBulkUpdate", "productVariants", 0)
	id := dig(v, "metafields", "nodes", 0, "id")
	if dig(v, "compareAtPrice") != "20.00" || dig(v, "metafields", "nodes", 0, "value") != "6" || id == nil {
		t.Fatalf("create: %s", r.Raw)
	}
	// By id, the value changes; a value the type refuses changes nothing.
	r = e.gql(t, update, map[string]any{"p": cat[0].ID, "v": []any{map[string]any{"id": cat[0].Variants[0].ID, "metafields": []any{map[string]any{"id": id, "value": "12"}}}}})
	if dig(r.Data, "productVariantsBulkUpdate", "productVariants", 0, "metafields", "nodes", 0, "value") != "12" {
		t.Fatalf("update by id: %s", r.Raw)
	}
	r = e.gql(t, update, map[string]any{"p": cat[0].ID, "v": []any{map[string]any{"id": cat[0].Variants[1].ID, "metafields": []any{mf("pack", "six")}}}})
	if fmt.Sprint(dig(r.Data, "productVariantsBulkUpdate", "userErrors", 0, "field")) != "[variants 0 metafields 0 value]" {
		t.Fatalf("invalid value: %s", r.Raw)
	}
}

// seed seeds the test shop's catalog.
func seed(t *testing.T, e *testEnv, products, variants, locations int) {
	t.Helper()
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: products, VariantsPerProduct: variants, Locations: locations}); err != nil {
		t.Fatal(err)
	}
}

func TestInventoryReasonLabels(t *testing.T) {
	for code, want := range map[string]string{"correction": "Inventory correction", "damaged": "Damaged", "cycle_count_available": "Cycle count available"} {
		if got := inventoryReasonLabel(code); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	e := newEnv(t, nil)
	seed(t, e, 1, 1, 1)
	cat, _ := e.sim.Catalog(testShop)
	locs, _ := e.sim.Locations(testShop)
	r := e.gql(t, `mutation($in: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $in) @idempotent(key: "reason-label") { inventoryAdjustmentGroup { reason } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"name": "available", "reason": "correction", "changes": []any{
			map[string]any{"inventoryItemId": cat[0].Variants[0].InventoryItemID, "locationId": locs[0].ID, "delta": 1, "changeFromQuantity": nil}}}})
	if dig(r.Data, "inventoryAdjustQuantities", "inventoryAdjustmentGroup", "reason") != "Inventory correction" {
		t.Errorf("got %s", r.Raw)
	}
}

func TestProductCreateUpdateDelete(t *testing.T) {
	e := newEnv(t, nil)
	create := `mutation($p: ProductCreateInput!) { productCreate(product: $p) {
		product { id title handle status options { name values } variants(first: 5) { nodes { title } } metafield(namespace: "custom", key: "fabric") { value } }
		shop { id } userErrors { field message } } }`
	in := map[string]any{"title": "Cool socks", "productOptions": []any{
		map[string]any{"name": "Color", "values": []any{map[string]any{"name": "Red"}, map[string]any{"name": "Blue"}}}},
		"metafields": []any{map[string]any{"namespace": "custom", "key": "fabric", "type": "single_line_text_field", "value": "wool"}}}
	r := e.gql(t, create, map[string]any{"p": in})
	mustNoErrors(t, r)
	p := dig(r.Data, "productCreate", "product")
	if dig(p, "handle") != "cool-socks" || dig(p, "status") != "ACTIVE" || dig(p, "variants", "nodes", 0, "title") != "Red" ||
		dig(p, "options", 0, "values", 1) != "Blue" || dig(p, "metafield", "value") != "wool" || dig(r.Data, "productCreate", "shop", "id") == nil {
		t.Fatalf("productCreate: %s", r.Raw)
	}
	// The same title again: a handle with a suffix.
	r2 := e.gql(t, create, map[string]any{"p": map[string]any{"title": "Cool socks"}})
	if dig(r2.Data, "productCreate", "product", "handle") != "cool-socks-1" {
		t.Errorf("second handle: %s", r2.Raw)
	}
	r2 = e.gql(t, create, map[string]any{"p": map[string]any{"title": ""}})
	if dig(r2.Data, "productCreate", "product") != nil || dig(r2.Data, "productCreate", "userErrors", 0, "field", 0) != "title" {
		t.Errorf("blank title: %s", r2.Raw)
	}
	id := dig(p, "id")
	r = e.gql(t, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { title vendor } userErrors { field } } }`,
		map[string]any{"p": map[string]any{"id": id, "title": "Warm socks", "vendor": "Knit Co"}})
	if dig(r.Data, "productUpdate", "product", "title") != "Warm socks" || dig(r.Data, "productUpdate", "product", "vendor") != "Knit Co" {
		t.Fatalf("productUpdate: %s", r.Raw)
	}
	r = e.gql(t, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id } userErrors { field } } }`,
		map[string]any{"p": map[string]any{"id": "gid://shopify/Product/1", "title": "x"}})
	if dig(r.Data, "productUpdate", "userErrors", 0, "field", 0) != "id" {
		t.Errorf("unknown product: %s", r.Raw)
	}
	del := `mutation($id: ID!, $sync: Boolean) { productDelete(input: {id: $id}, synchronous: $sync) { deletedProductId productDeleteOperation { id status } userErrors { field } } }`
	r = e.gql(t, del, map[string]any{"id": id})
	if dig(r.Data, "productDelete", "deletedProductId") != id {
		t.Fatalf("productDelete: %s", r.Raw)
	}
	if r = e.gql(t, del, map[string]any{"id": id}); dig(r.Data, "productDelete", "userErrors", 0, "field", 0) != "id" {
		t.Errorf("deleted twice: %s", r.Raw)
	}
	r = e.gql(t, create, map[string]any{"p": map[string]any{"title": "Gone later"}})
	r = e.gql(t, del, map[string]any{"id": dig(r.Data, "productCreate", "product", "id"), "sync": false})
	op := dig(r.Data, "productDelete", "productDeleteOperation")
	if dig(op, "status") != "CREATED" || dig(r.Data, "productDelete", "deletedProductId") != nil {
		t.Fatalf("asynchronous productDelete: %s", r.Raw)
	}
	read := e.gql(t, `query($id: ID!) { productOperation(id: $id) { status ... on ProductDeleteOperation { deletedProductId } } }`, map[string]any{"id": dig(op, "id")})
	if dig(read.Data, "productOperation", "status") != "COMPLETE" || dig(read.Data, "productOperation", "deletedProductId") == nil {
		t.Errorf("delete operation read afterwards: %s", read.Raw)
	}
}
