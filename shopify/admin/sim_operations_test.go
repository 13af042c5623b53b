package admin_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

// TestSimEveryOperation runs every generated operation against the
// simulator over HTTP.
func TestSimEveryOperation(t *testing.T) {
	env := newSimEnv(t, shopifysim.PlanStandard, shopifysim.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := env.client
	if err := env.sim.SeedCatalog(simShop, shopifysim.SeedOptions{Products: 30, VariantsPerProduct: 2, Locations: 2}); err != nil {
		t.Fatal(err)
	}

	// Products, paged.
	var products []admin.ProductFields
	err := admin.EachProductsPage(ctx, c, admin.ProductsQuery{First: 7, VariantsFirst: 5, MetafieldsFirst: 5}, "", func(p *admin.ProductsPage) error {
		for _, n := range p.Nodes {
			products = append(products, n.ProductFields)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(products) != 30 || len(products[0].Variants.Nodes) != 2 || products[0].Variants.Nodes[0].Sku == "" ||
		products[0].Variants.Nodes[0].InventoryItem.Id == "" {
		t.Fatalf("products: %d, first %+v", len(products), products[0])
	}
	// With an updated_at filter: the seed updates product i at now-(30-i)s.
	since := time.Now().Add(-10 * time.Second).UTC().Format(time.RFC3339)
	var recent int
	err = admin.EachProductsPage(ctx, c, admin.ProductsQuery{Query: "updated_at:>" + since}, "", func(p *admin.ProductsPage) error {
		recent += len(p.Nodes)
		return nil
	})
	if err != nil || recent == 0 || recent >= 30 {
		t.Errorf("updated_at filter: %d products, err %v", recent, err)
	}

	// One product.
	p0 := products[0]
	one, err := admin.Product(ctx, c, p0.Id, 5, 5, "")
	if err != nil || one.Product == nil || one.Product.Id != p0.Id {
		t.Fatalf("Product: %v %+v", err, one)
	}
	missing, err := admin.Product(ctx, c, "gid://shopify/Product/999999999", 1, 1, "")
	if err != nil || missing.Product != nil {
		t.Errorf("missing product: %v %+v", err, missing)
	}

	// Locations and inventory levels.
	simLocs, _ := env.sim.Locations(simShop)
	item := p0.Variants.Nodes[0].InventoryItem.Id
	item2 := p0.Variants.Nodes[1].InventoryItem.Id
	levels, err := admin.InventoryLevelsOf(ctx, c, []string{item, item2}, 10)
	if err != nil || len(levels) != 2 || len(levels[0].InventoryLevels.Nodes) != 2 {
		t.Fatalf("inventory levels: %v %+v", err, levels)
	}
	q := levels[0].InventoryLevels.Nodes[0].Quantities
	if len(q) != 2 || q[0].Name != admin.QuantityAvailable || q[1].Name != admin.QuantityOnHand {
		t.Errorf("quantities %+v", q)
	}
	atLoc, err := admin.LocationInventoryLevels(ctx, c, simLocs[0].ID, 50, "", []string{admin.QuantityAvailable})
	if err != nil || atLoc.Location == nil || len(atLoc.Location.InventoryLevels.Nodes) == 0 {
		t.Fatalf("location levels: %v %+v", err, atLoc)
	}

	// inventorySetQuantities with compare-and-swap.
	loc := levels[0].InventoryLevels.Nodes[0].Location.Id
	was := levels[0].InventoryLevels.Nodes[0].Quantities[0].Quantity
	group, err := admin.SetInventoryQuantities(ctx, c, "ops-"+fmt.Sprint(time.Now().UnixNano()), admin.InventorySetQuantitiesInput{
		Name: admin.QuantityAvailable, Reason: "correction", ReferenceDocumentUri: "gid://shopflow/Test/1",
		Quantities: []admin.InventoryQuantityInput{{InventoryItemId: item, LocationId: loc, Quantity: was + 7, ChangeFromQuantity: &was}},
	})
	if err != nil || group == nil {
		t.Fatalf("inventorySetQuantities: %v", err)
	}
	got, err := env.sim.Quantities(simShop, item, loc)
	if err != nil || got["available"] != was+7 {
		t.Errorf("available after set = %v (%v), want %d", got, err, was+7)
	}
	stale := was
	_, err = admin.SetInventoryQuantities(ctx, c, "ops-stale-"+fmt.Sprint(time.Now().UnixNano()), admin.InventorySetQuantitiesInput{
		Name: admin.QuantityAvailable, Reason: "correction",
		Quantities: []admin.InventoryQuantityInput{{InventoryItemId: item, LocationId: loc, Quantity: 1, ChangeFromQuantity: &stale}},
	})
	if !admin.HasUserErrorCode(err, "CHANGE_FROM_QUANTITY_STALE") {
		t.Errorf("stale changeFromQuantity: %v", err)
	}

	// metafieldsSet, read back, metafieldsDelete.
	set, err := admin.SetMetafields(ctx, c, []admin.MetafieldsSetInput{
		{OwnerId: p0.Id, Namespace: "shopflow", Key: "erp_id", Type: "single_line_text_field", Value: "E-1"},
		{OwnerId: p0.Id, Namespace: "shopflow", Key: "stock", Type: "number_integer", Value: "12"},
	})
	if err != nil || len(set) != 2 || set[0].CompareDigest == "" {
		t.Fatalf("metafieldsSet: %v %+v", err, set)
	}
	// compare-and-set with the digest just read.
	digest := set[0].CompareDigest
	if _, err := admin.SetMetafields(ctx, c, []admin.MetafieldsSetInput{{OwnerId: p0.Id, Namespace: "shopflow", Key: "erp_id", Value: "E-2", CompareDigest: &digest}}); err != nil {
		t.Errorf("compare-and-set: %v", err)
	}
	if _, err := admin.SetMetafields(ctx, c, []admin.MetafieldsSetInput{{OwnerId: p0.Id, Namespace: "shopflow", Key: "erp_id", Value: "E-3", CompareDigest: &digest}}); !admin.HasUserErrorCode(err, "STALE_OBJECT") {
		t.Errorf("stale digest: %v", err)
	}
	var ue *admin.UserErrors
	_, err = admin.SetMetafields(ctx, c, []admin.MetafieldsSetInput{
		{OwnerId: p0.Id, Namespace: "shopflow", Key: "stock", Type: "number_integer", Value: "13"},
		{OwnerId: "gid://shopify/Product/999999999", Namespace: "shopflow", Key: "stock", Type: "number_integer", Value: "1"},
	})
	if !errors.As(err, &ue) || ue.Errors[0].ElementIndex != 1 || !ue.HasCode("INVALID_VALUE") {
		t.Errorf("unknown owner: %v", err)
	}
	back, err := admin.Product(ctx, c, p0.Id, 1, 10, "shopflow")
	if err != nil || len(back.Product.Metafields.Nodes) != 2 {
		t.Fatalf("metafields read back: %v %+v", err, back)
	}
	deleted, err := admin.DeleteMetafields(ctx, c, []admin.MetafieldIdentifierInput{
		{OwnerId: p0.Id, Namespace: "shopflow", Key: "erp_id"},
		{OwnerId: p0.Id, Namespace: "shopflow", Key: "nope"},
	})
	if err != nil || len(deleted) != 2 || deleted[0] == nil || deleted[1] != nil {
		t.Errorf("metafieldsDelete: %v %+v", err, deleted)
	}

	// Orders updated since a time, with line items.
	start := time.Now().Add(-time.Second).UTC()
	for i := range 3 {
		_, err := env.sim.CreateOrder(simShop, shopifysim.OrderInput{LineItems: []shopifysim.LineItemInput{
			{VariantID: products[i].Variants.Nodes[0].Id, Quantity: 1 + i},
			{VariantID: products[i].Variants.Nodes[1].Id, Quantity: 1},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	var orders []admin.Order
	err = admin.EachOrdersPage(ctx, c, admin.OrdersQuery{Query: admin.UpdatedSince(start.Format(time.RFC3339)), First: 2}, "", func(p *admin.OrdersPage) error {
		orders = append(orders, p.Nodes...)
		return nil
	})
	if err != nil || len(orders) != 3 || len(orders[0].LineItems.Nodes) != 2 || orders[0].LineItems.Nodes[0].Sku == "" {
		t.Fatalf("orders: %v %+v", err, orders)
	}

	// Bulk export, polled, downloaded and regrouped.
	op, err := admin.StartBulkQuery(ctx, c, `{ products { edges { node { id title variants { edges { node { id sku } } } } } } }`)
	if err != nil {
		t.Fatal(err)
	}
	done, err := admin.WaitBulkOperation(ctx, c, op.Id, 100*time.Millisecond)
	if err != nil || done.Url == "" || done.ObjectCount != 90 {
		t.Fatalf("bulk: %v %+v", err, done)
	}
	body, err := admin.OpenBulkResult(ctx, nil, done.Url)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := admin.GroupBulkJSONL(body, 1000)
	body.Close()
	if err != nil || len(roots) != 30 {
		t.Fatalf("bulk rows: %v, %d roots", err, len(roots))
	}
	for _, r := range roots {
		if len(r.Children) != 2 {
			t.Errorf("product %s has %d variants in the export", r.ID, len(r.Children))
		}
	}

	// Webhook subscriptions: a setup run, then a second that adds nothing.
	topics := []admin.WebhookSubscriptionTopic{admin.WebhookSubscriptionTopicOrdersCreate, admin.WebhookSubscriptionTopicProductsUpdate}
	created, err := admin.SubscribeWebhooks(ctx, c, "https://hooks.shopflow.test/shopify", topics)
	if err != nil || len(created) != 2 {
		t.Fatalf("subscribe: %v %+v", err, created)
	}
	again, err := admin.SubscribeWebhooks(ctx, c, "https://hooks.shopflow.test/shopify", topics)
	if err != nil || len(again) != 0 {
		t.Errorf("second subscribe: %v %+v", err, again)
	}
	var listed int
	if err := admin.EachWebhookSubscription(ctx, c, nil, func(admin.WebhookSubscriptionFields) error { listed++; return nil }); err != nil || listed != 2 {
		t.Errorf("list: %v, %d", err, listed)
	}

	// Locations last: a simulator panic here must not hide the others.
	locs, err := admin.AllLocations(ctx, c, false)
	if err != nil || len(locs) != 2 || locs[0].Id == "" || locs[0].Name == "" {
		t.Errorf("locations: %v %+v", err, locs)
	}

	if st := env.sim.Stats(simShop); st.Throttled != 0 {
		t.Errorf("simulator throttled %d requests", st.Throttled)
	}
}

// TestSimWrongTokenAndMaxCost checks the permanent errors against the
// simulator.
func TestSimWrongTokenAndMaxCost(t *testing.T) {
	env := newSimEnv(t, shopifysim.PlanStandard, shopifysim.Config{})
	ctx := context.Background()
	bad, err := admin.NewClient(admin.Options{Shop: simShop, AccessToken: "wrong", BaseURL: env.srv.URL, Registry: admin.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.AllLocations(ctx, bad, false)
	if admin.KindOf(err) != admin.KindUnauthorized || admin.IsRetryable(err) {
		t.Errorf("wrong token: %v", err)
	}
	// 250 products × 250 variants is far over 1000 points.
	_, err = admin.Products(ctx, env.client, 250, "", "", 250, 250, "")
	if admin.KindOf(err) != admin.KindMaxCostExceeded || admin.IsRetryable(err) {
		t.Errorf("max cost: %v", err)
	}
}

// TestSimInventoryIdempotency: one key applies once; the same key with
// another input is refused with IDEMPOTENCY_KEY_PARAMETER_MISMATCH.
func TestSimInventoryIdempotency(t *testing.T) {
	env := newSimEnv(t, shopifysim.PlanStandard, shopifysim.Config{})
	ctx := context.Background()
	if err := env.sim.SeedCatalog(simShop, shopifysim.SeedOptions{Products: 1, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	cat, _ := env.sim.Catalog(simShop)
	locs, _ := env.sim.Locations(simShop)
	item, loc := cat[0].Variants[0].InventoryItemID, locs[0].ID
	before, _ := env.sim.Quantities(simShop, item, loc)

	in := admin.InventorySetQuantitiesInput{Name: admin.QuantityOnHand, Reason: "correction",
		Quantities: []admin.InventoryQuantityInput{{InventoryItemId: item, LocationId: loc, Quantity: before["on_hand"] + 5}}}
	const key = "sync-42"
	g1, err := admin.SetInventoryQuantities(ctx, env.client, key, in)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := admin.SetInventoryQuantities(ctx, env.client, key, in)
	if err != nil {
		t.Fatal(err)
	}
	if g1 == nil || g2 == nil || g1.Id != g2.Id {
		t.Errorf("replay returned another adjustment group: %+v %+v", g1, g2)
	}
	after, _ := env.sim.Quantities(simShop, item, loc)
	if after["on_hand"] != before["on_hand"]+5 {
		t.Errorf("on_hand %d → %d, want +5 once", before["on_hand"], after["on_hand"])
	}
	st := env.sim.Stats(simShop)
	if st.MutationsApplied[key] != 1 || st.IdempotentReplays < 1 {
		t.Errorf("applied %d times, %d replays", st.MutationsApplied[key], st.IdempotentReplays)
	}

	in.Quantities[0].Quantity++
	_, err = admin.SetInventoryQuantities(ctx, env.client, key, in)
	var ue *admin.UserErrors
	if !errors.As(err, &ue) || !ue.HasCode("IDEMPOTENCY_KEY_PARAMETER_MISMATCH") {
		t.Fatalf("same key, other input: %v", err)
	}
	if admin.IsRetryable(err) {
		t.Error("a key mismatch is not retryable")
	}
	if now, _ := env.sim.Quantities(simShop, item, loc); now["on_hand"] != after["on_hand"] {
		t.Errorf("mismatched request changed stock: %v", now)
	}
}

// TestSimFaultsAreRetried: injected 5xx and 429 are absorbed by retries.
func TestSimFaultsAreRetried(t *testing.T) {
	env := newSimEnv(t, shopifysim.PlanStandard, shopifysim.Config{})
	ctx := context.Background()
	if err := env.sim.SeedCatalog(simShop, shopifysim.SeedOptions{Products: 5}); err != nil {
		t.Fatal(err)
	}
	if err := env.sim.SetFaults(simShop, shopifysim.Faults{ServerErrorRate: 0.2, RateLimitRate: 0.2, RetryAfter: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if _, err := admin.ProductsPageAt(ctx, env.client, admin.ProductsQuery{First: 5}, ""); err != nil {
			t.Fatal(err)
		}
	}
	st := env.sim.Stats(simShop)
	if st.InjectedServerErrors == 0 || st.InjectedRateLimits == 0 {
		t.Errorf("no faults injected: %+v", st)
	}
}
