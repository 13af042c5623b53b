package downstream_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/downstream"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

func TestStatusClass(t *testing.T) {
	for _, c := range []struct {
		resp *http.Response
		err  error
		want string
	}{
		{&http.Response{StatusCode: 200}, nil, "2xx"},
		{&http.Response{StatusCode: 201}, nil, "2xx"},
		{&http.Response{StatusCode: 304}, nil, "3xx"},
		{&http.Response{StatusCode: 429}, nil, "4xx"},
		{&http.Response{StatusCode: 503}, nil, "5xx"},
		{nil, errors.New("connection refused"), "error"},
		{&http.Response{StatusCode: 200}, context.DeadlineExceeded, "error"},
		{&http.Response{StatusCode: 999}, nil, "error"},
	} {
		if got := downstream.StatusClass(c.resp, c.err); got != c.want {
			t.Errorf("StatusClass(%v, %v) = %q, want %q", c.resp, c.err, got, c.want)
		}
	}
}

func TestERPOperationNames(t *testing.T) {
	for path, want := range map[string]string{
		"/v1/invoices":                      "POST /v1/invoices",
		"/v1/products?shopify_product_id=1": "POST /v1/products",
		"/v1/products/SKU-1":                "POST /v1/products/{id}",
		"/v1/stock/SKU%2F1/main":            "POST /v1/stock/{id}/{id}",
	} {
		r := httptest.NewRequest(http.MethodPost, path, nil)
		if got := erp.Operation(r); got != want {
			t.Errorf("Operation(%s) = %q, want %q", path, got, want)
		}
	}
}

// The real ERP client against the ERP simulator: each request counted once
// by its route and status class, IDs kept out of the labels, and a request
// that gets no answer counted as error.
func TestERPCallsAreMeasured(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := downstream.NewMetrics(reg)
	sim := httptest.NewServer(erpsim.New(erpsim.Options{Logger: slog.New(slog.DiscardHandler)}).Handler())
	defer sim.Close()
	hc := m.Client(erp.NewHTTPClient(0), downstream.SystemERP, erp.Operation)
	c := erp.New(sim.URL, hc)
	ctx := context.Background()

	if _, err := c.PutProduct(ctx, erp.Product{SKU: "SKU-1", Name: "One", ShopifyProductID: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProduct(ctx, "SKU-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProduct(ctx, "NO-SUCH-SKU"); err == nil {
		t.Fatal("GetProduct of an unknown SKU succeeded")
	}
	if _, err := erp.New("http://127.0.0.1:1", hc).GetProduct(ctx, "SKU-1"); err == nil {
		t.Fatal("a request to a closed port succeeded")
	}

	want := `
# HELP shopflow_downstream_requests_total HTTP requests to downstream systems (erp, shopify), retries included, by operation and status class (2xx, 4xx, 5xx, error for no answer).
# TYPE shopflow_downstream_requests_total counter
shopflow_downstream_requests_total{operation="GET /v1/products/{id}",status_class="2xx",system="erp"} 1
shopflow_downstream_requests_total{operation="GET /v1/products/{id}",status_class="4xx",system="erp"} 1
shopflow_downstream_requests_total{operation="GET /v1/products/{id}",status_class="error",system="erp"} 1
shopflow_downstream_requests_total{operation="PUT /v1/products/{id}",status_class="2xx",system="erp"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "shopflow_downstream_requests_total"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "shopflow_downstream_request_seconds"); err != nil || n != 2 {
		t.Errorf("%d latency series, want one per operation (2)", n)
	}
}

// The real Admin API client against the Shopify simulator: requests named
// by their GraphQL operation.
func TestShopifyCallsAreNamedByOperation(t *testing.T) {
	const shop, token = "metrics-shop.myshopify.com", "shpat_metrics"
	sim := shopifysim.New(shopifysim.Config{Shops: []shopifysim.ShopConfig{{Domain: shop, AccessToken: token, WebhookSecret: "s"}}})
	defer sim.Close()
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()

	reg := prometheus.NewRegistry()
	m := downstream.NewMetrics(reg)
	c, err := admin.NewClient(admin.ForActivities(admin.Options{
		Shop: shop, AccessToken: token, BaseURL: srv.URL, Registry: admin.NewRegistry(),
		HTTP: m.Client(nil, downstream.SystemShopify, nil),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ProductsPageAt(context.Background(), c, admin.ProductsQuery{}, ""); err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, f := range families {
		if f.GetName() != "shopflow_downstream_requests_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == "operation" {
					ops = append(ops, l.GetValue())
				}
			}
		}
	}
	if len(ops) != 1 || ops[0] == downstream.OperationUnknown || ops[0] == "" {
		t.Fatalf("operations %q, want the one GraphQL operation's name", ops)
	}
	t.Logf("operation: %s", ops[0])
}
