package reconcile_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// A paid order whose orders/create webhook is late has no invoice when the
// reconciliation runs; the webhook arrives during the run. The order is
// invoiced exactly once.
func TestReconcileOrdersInvoicesOnceWhenTheWebhookArrivesDuringTheRun(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: 2}); err != nil {
		t.Fatal(err)
	}
	catalog, _ := s.Shopify.Catalog(s.Shop)
	for _, p := range catalog {
		_, pid, _ := admin.ParseGID(p.ID)
		_, vid, _ := admin.ParseGID(p.Variants[0].ID)
		if _, err := s.ERP.PutProduct(erpsim.Product{SKU: p.Variants[0].SKU, Name: p.Title, ShopifyProductID: pid, ShopifyVariantID: vid}); err != nil {
			t.Fatal(err)
		}
	}
	// A price with a trailing zero: GraphQL reads it "12.5" where the
	// webhook says "12.50", and the two paths must still send the ERP the
	// same invoice under the order's key.
	tenFifty, err := s.Shopify.CreateProduct(s.Shop, shopifysim.ProductInput{Title: "Trailing zero", SKUs: []string{"RECON-1250"}, Price: "12.50"})
	if err != nil {
		t.Fatal(err)
	}
	_, pid, _ := admin.ParseGID(tenFifty.ID)
	_, vid, _ := admin.ParseGID(tenFifty.Variants[0].ID)
	if _, err := s.ERP.PutProduct(erpsim.Product{SKU: "RECON-1250", Name: tenFifty.Title, ShopifyProductID: pid, ShopifyVariantID: vid}); err != nil {
		t.Fatal(err)
	}
	// Shopify's delivery of orders/create is held here: the late webhook.
	type held struct {
		id   string
		body []byte
	}
	late := make(chan held, 1)
	catcher := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		select {
		case late <- held{r.Header.Get("X-Shopify-Webhook-Id"), body}:
		default:
		}
	}))
	t.Cleanup(catcher.Close)
	if err := s.Shopify.Subscribe(s.Shop, "orders/create", catcher.URL); err != nil {
		t.Fatal(err)
	}
	order, err := s.Shopify.CreateOrder(s.Shop, shopifysim.OrderInput{LineItems: []shopifysim.LineItemInput{{VariantID: catalog[1].Variants[0].ID, Quantity: 2}, {VariantID: tenFifty.Variants[0].ID, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	_, orderID, _ := admin.ParseGID(order.ID)
	var hook held
	select {
	case hook = <-late:
	case <-time.After(10 * time.Second):
		t.Fatal("Shopify sent no orders/create")
	}

	// The webhook arrives between the reconciliation's read and its sync.
	arrive := &onActivity{name: "FindUninvoicedOrders", after: true, hook: func() {
		if got := s.Deliver(t, "orders/create", hook.id, hook.body); got != http.StatusOK {
			t.Errorf("the late webhook got %d", got)
		}
	}}
	tq := reconcileQueue(t, s, arrive)
	rep := runOrders(t, s, tq)
	if rep.Checked != 1 || rep.Uninvoiced != 1 || rep.Synced != 1 || rep.Failed != 0 {
		t.Fatalf("report %+v; want the one order found uninvoiced and synced", rep)
	}
	recordLastRun(t, s, "reconcile_orders_synced")
	if err := s.Wait(t, hook.id); err != nil {
		t.Fatalf("the late webhook's workflow failed: %v", err)
	}
	invoices, fulfillments := s.ERP.OrderRecords(s.Shop, orderID)
	if len(invoices) != 1 || len(fulfillments) != 1 {
		t.Fatalf("order %d: %d invoices and %d fulfillment requests, want exactly 1 and 1", orderID, len(invoices), len(fulfillments))
	}
	if rep := runOrders(t, s, tq); rep.Checked != 1 || rep.Uninvoiced != 0 {
		t.Fatalf("second run: %+v; want nothing uninvoiced", rep)
	}
}

func runOrders(t *testing.T, s *testenv.Stack, tq string) reconcile.OrdersReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: "reconcile-test/" + strings.ReplaceAll(t.Name(), "/", "-") + "/" + time.Now().Format("150405.000000"), TaskQueue: tq,
	}, reconcile.OrdersName, reconcile.OrdersInput{Shop: s.Shop, OrderSyncTaskQueue: s.TaskQueue})
	if err != nil {
		t.Fatal(err)
	}
	var rep reconcile.OrdersReport
	if err := run.Get(ctx, &rep); err != nil {
		t.Fatalf("orders reconciliation failed: %v", err)
	}
	lastRunID = run.GetID()
	return rep
}
