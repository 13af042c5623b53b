package erp_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestPutAndGetProduct(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	for _, sku := range []string{"TSHIRT-M", "with space", "slash/inside", "ünï"} {
		want := erp.Product{SKU: sku, Name: "Thing " + sku, ShopifyProductID: 42, ShopifyVariantID: 7}
		got, err := c.PutProduct(ctx, want)
		if err != nil {
			t.Fatalf("PutProduct(%q): %v", sku, err)
		}
		if got != want {
			t.Errorf("PutProduct(%q) = %+v, want %+v", sku, got, want)
		}
		got, err = c.GetProduct(ctx, sku)
		if err != nil {
			t.Fatalf("GetProduct(%q): %v", sku, err)
		}
		if got != want {
			t.Errorf("GetProduct(%q) = %+v, want %+v", sku, got, want)
		}
	}

	_, err := c.GetProduct(ctx, "NOPE")
	var apiErr *erp.APIError
	if !errors.Is(err, erp.ErrProductNotFound) || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("GetProduct(missing) error = %v, want ErrProductNotFound wrapping a 404 APIError", err)
	}

	_, err = c.PutProduct(ctx, erp.Product{SKU: "BAD", ShopifyProductID: 1})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity || apiErr.Code != erpsim.CodeValidationFailed {
		t.Errorf("PutProduct(no name) error = %v, want 422 validation_failed", err)
	}
}

func TestLookupProduct(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	for _, p := range []erpsim.Product{
		{SKU: "SHIRT", Name: "Shirt, any size", ShopifyProductID: 1},
		{SKU: "SHIRT-L", Name: "Shirt L", ShopifyProductID: 1, ShopifyVariantID: 11},
		{SKU: "MUG-RED", Name: "Red mug", ShopifyProductID: 2, ShopifyVariantID: 21},
	} {
		if _, err := sim.PutProduct(p); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name             string
		product, variant int64
		wantSKU          string
		wantNotFound     bool
	}{
		{"exact variant wins over product level", 1, 11, "SHIRT-L", false},
		{"unknown variant falls back to product level", 1, 12, "SHIRT", false},
		{"variant 0 means product level", 1, 0, "SHIRT", false},
		{"exact variant without product level entry", 2, 21, "MUG-RED", false},
		{"other variant and no product level entry", 2, 22, "", true},
		{"unknown product", 3, 0, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := c.LookupProduct(context.Background(), tc.product, tc.variant)
			if tc.wantNotFound {
				if !errors.Is(err, erp.ErrProductNotFound) {
					t.Fatalf("LookupProduct = %+v, %v; want ErrProductNotFound", p, err)
				}
				return
			}
			if err != nil || p.SKU != tc.wantSKU {
				t.Fatalf("LookupProduct = %+v, %v; want SKU %s", p, err, tc.wantSKU)
			}
		})
	}
}

func TestStock(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	levels, err := c.StockLevels(ctx, "MUG")
	if err != nil || levels == nil || len(levels) != 0 {
		t.Fatalf("StockLevels(unknown) = %#v, %v; want empty non-nil slice", levels, err)
	}
	for _, loc := range []string{"WH-B", "WH-A"} {
		if _, err := c.SetStock(ctx, "MUG", loc, 5); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.SetStock(ctx, "MUG", "WH-A", 3)
	if err != nil || got != (erp.StockLevel{SKU: "MUG", Location: "WH-A", Available: 3}) {
		t.Fatalf("SetStock = %+v, %v", got, err)
	}
	levels, err = c.StockLevels(ctx, "MUG")
	want := []erp.StockLevel{{"MUG", "WH-A", 3}, {"MUG", "WH-B", 5}}
	if err != nil || len(levels) != 2 || levels[0] != want[0] || levels[1] != want[1] {
		t.Fatalf("StockLevels = %+v, %v; want %+v", levels, err, want)
	}
	_, err = c.SetStock(ctx, "MUG", "WH-A", -1)
	var apiErr *erp.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("SetStock(-1) error = %v, want 422", err)
	}
}

func TestFulfillmentRequest(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	inv, err := c.CreateInvoice(ctx, "acme:7:invoice", invoiceFor(7, "48.48"))
	if err != nil {
		t.Fatal(err)
	}
	in := erp.FulfillmentRequestInput{
		Shop: "acme.myshopify.com", OrderID: 7, InvoiceID: inv.ID,
		Lines:           []erp.FulfillmentLine{{SKU: "MUG", Quantity: 1}},
		ShippingAddress: map[string]any{"name": "Jane Doe", "city": "Berlin"},
	}
	first, err := c.CreateFulfillmentRequest(ctx, "acme:7:fulfil", in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.ID, "ful_") || first.InvoiceID != inv.ID || first.ShippingAddress["city"] != "Berlin" {
		t.Errorf("CreateFulfillmentRequest = %+v", first)
	}
	again, err := c.CreateFulfillmentRequest(ctx, "acme:7:fulfil", in)
	if err != nil || again.ID != first.ID {
		t.Errorf("retry = %+v, %v; want replay of %s", again, err, first.ID)
	}
	if _, ful := sim.OrderRecords("acme.myshopify.com", 7); len(ful) != 1 {
		t.Errorf("ERP holds %d fulfillment requests, want 1", len(ful))
	}

	in.InvoiceID = "inv_doesnotexist"
	_, err = c.CreateFulfillmentRequest(ctx, "acme:7:fulfil-bad", in)
	var apiErr *erp.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != erpsim.CodeUnknownInvoice || apiErr.Retryable() {
		t.Errorf("unknown invoice error = %v, want non-retryable unknown_invoice", err)
	}
}

func TestInvoiceValidation(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	in := invoiceFor(1, "48,48") // a comma is not a decimal point
	_, err := c.CreateInvoice(context.Background(), "acme:1:invoice", in)
	var apiErr *erp.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity || apiErr.Code != erpsim.CodeValidationFailed {
		t.Fatalf("error = %v, want 422 validation_failed", err)
	}
	if !strings.Contains(apiErr.Message, "total") {
		t.Errorf("message %q does not name the bad field", apiErr.Message)
	}
}

func TestMissingIdempotencyKeyIsRefusedLocally(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	if _, err := c.CreateInvoice(context.Background(), "", invoiceFor(1, "48.48")); !errors.Is(err, erp.ErrMissingIdempotencyKey) {
		t.Errorf("CreateInvoice error = %v, want ErrMissingIdempotencyKey", err)
	}
	if _, err := c.CreateFulfillmentRequest(context.Background(), "", erp.FulfillmentRequestInput{}); !errors.Is(err, erp.ErrMissingIdempotencyKey) {
		t.Errorf("CreateFulfillmentRequest error = %v, want ErrMissingIdempotencyKey", err)
	}
	if n := len(sim.Stats().Requests); n != 0 {
		t.Errorf("the ERP saw %d routes, want no request at all", n)
	}
}

func TestCorrelationIDReachesERPLogsButBodiesDoNot(t *testing.T) {
	var logs bytes.Buffer
	_, c := startERP(t, erpsim.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	ctx := erp.WithCorrelationID(context.Background(), "wf-123/run-9")
	if got := erp.CorrelationID(ctx); got != "wf-123/run-9" {
		t.Fatalf("CorrelationID = %q", got)
	}
	if erp.CorrelationID(context.Background()) != "" {
		t.Fatal("CorrelationID of a bare context is not empty")
	}
	in := invoiceFor(5, "48.48")
	in.OrderName = "SECRET-CUSTOMER-MARKER"
	if _, err := c.CreateInvoice(ctx, "acme:5:invoice", in); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{`"correlation_id":"wf-123/run-9"`, `"method":"POST"`, `"path":"/v1/invoices"`, `"status":"201"`, `"duration"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log %s lacks %s", out, want)
		}
	}
	if strings.Contains(out, "SECRET-CUSTOMER-MARKER") || strings.Contains(out, "19.99") {
		t.Errorf("log leaks the request body: %s", out)
	}
}

func TestNilHTTPClientUsesDefault(t *testing.T) {
	sim := erpsim.New(erpsim.Options{Logger: slog.New(slog.DiscardHandler)})
	ts := httptest.NewServer(sim.Handler())
	defer ts.Close()
	c := &erp.Client{BaseURL: ts.URL + "/"} // a trailing slash must not matter
	if _, err := c.StockLevels(context.Background(), "MUG"); err != nil {
		t.Fatal(err)
	}
}
