package workflows_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

// The whole path with nothing hand-made: orders created in the Shopify
// simulator reach the real ingress as signed webhooks, every one delivered
// twice, and end as exactly one invoice and one fulfillment request each.
func TestShopifySimulatorOrdersSyncEndToEnd(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	sim := shopifysim.New(shopifysim.Config{
		Shops:            []shopifysim.ShopConfig{{Domain: s.Shop, AccessToken: "shpat_test", WebhookSecret: testenv.Secret, Plan: shopifysim.PlanStandard}},
		WebhookTimeScale: 0.001,
	})
	t.Cleanup(sim.Close)
	simServer := httptest.NewServer(sim.Handler())
	t.Cleanup(simServer.Close)

	if err := sim.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: 5, VariantsPerProduct: 2, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	catalog, err := sim.Catalog(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range catalog {
		for _, v := range p.Variants {
			if _, err := s.ERP.PutProduct(erpsim.Product{SKU: v.SKU, Name: p.Title, ShopifyProductID: gidNumber(t, p.ID), ShopifyVariantID: gidNumber(t, v.ID)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := sim.Subscribe(s.Shop, "orders/create", s.IngressURL); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetFaults(s.Shop, shopifysim.Faults{WebhookDuplicateRate: 1}); err != nil {
		t.Fatal(err)
	}

	var orders []int64
	for i := range 3 {
		o, err := sim.CreateOrder(s.Shop, shopifysim.OrderInput{LineItems: []shopifysim.LineItemInput{
			{VariantID: catalog[i].Variants[0].ID, Quantity: 1},
			{VariantID: catalog[i+1].Variants[1].ID, Quantity: 2},
		}})
		if err != nil {
			t.Fatal(err)
		}
		orders = append(orders, gidNumber(t, o.ID))
	}

	deadline := time.Now().Add(time.Minute)
	for _, id := range orders {
		for {
			invoices, fulfillments := s.ERP.OrderRecords(s.Shop, id)
			if len(invoices) > 0 && len(fulfillments) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("order %d never reached the ERP", id)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Let the duplicate deliveries land before counting.
	for sim.Stats(s.Shop).WebhooksDelivered < int64(2*len(orders)) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := sim.Stats(s.Shop).WebhooksDelivered; got < int64(2*len(orders)) {
		t.Fatalf("%d webhook deliveries acknowledged, want every order delivered twice (%d)", got, 2*len(orders))
	}
	for _, id := range orders {
		requireOneEffect(t, s, id)
		invoices, _ := s.ERP.OrderRecords(s.Shop, id)
		if len(invoices[0].Lines) != 2 || !strings.HasPrefix(invoices[0].Lines[0].SKU, "SKU-") {
			t.Errorf("order %d: invoice lines %+v, want the two variants' SKUs", id, invoices[0].Lines)
		}
	}
}

// gidNumber returns the numeric ID of a Shopify GID.
func gidNumber(t *testing.T, gid string) int64 {
	t.Helper()
	_, id, err := admin.ParseGID(gid)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
