package erp_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestCreateInvoiceReplaysSameKey(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	first, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == "" || first.Total != "48.48" || len(first.Lines) != 2 || first.Lines[0].UnitPrice != "19.99" || first.CreatedAt.IsZero() {
		t.Fatalf("CreateInvoice = %+v", first)
	}
	second, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID || !second.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("retry got invoice %s created %v, want replay of %s created %v", second.ID, second.CreatedAt, first.ID, first.CreatedAt)
	}
	onlyInvoice(t, sim, 1)
	if n := sim.Stats().IdempotentReplays; n != 1 {
		t.Errorf("IdempotentReplays = %d, want 1", n)
	}
}

func TestIdempotencyKeyMismatch(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	inv, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		call func() error
	}{
		{"different body", func() error {
			_, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "99.00"))
			return err
		}},
		{"different path", func() error {
			_, err := c.CreateFulfillmentRequest(ctx, "acme:1:invoice", erp.FulfillmentRequestInput{
				Shop: "acme.myshopify.com", OrderID: 1, InvoiceID: inv.ID,
				Lines: []erp.FulfillmentLine{{SKU: "MUG", Quantity: 1}},
			})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var apiErr *erp.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity || apiErr.Code != "idempotency_key_mismatch" {
				t.Fatalf("error = %v, want 422 idempotency_key_mismatch", err)
			}
			if apiErr.Retryable() {
				t.Error("a key mismatch must not be retryable")
			}
		})
	}
	onlyInvoice(t, sim, 1)
}

func TestIdempotencyKeyInFlight(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	// Only the first request is slow; it holds the key meanwhile.
	if err := sim.SetFaults([]erpsim.Fault{{Method: "POST", PathPrefix: "/v1/invoices", Kind: erpsim.FaultLatency, Latency: time.Second, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	type result struct {
		inv erp.Invoice
		err error
	}
	slow := make(chan result, 1)
	go func() {
		inv, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
		slow <- result{inv, err}
	}()
	waitFor(t, func() bool { return sim.Stats().KeysInFlight == 1 })

	_, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	var apiErr *erp.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict || apiErr.Code != "idempotency_key_in_flight" {
		t.Fatalf("concurrent request error = %v, want 409 idempotency_key_in_flight", err)
	}
	if !apiErr.Retryable() {
		t.Error("in-flight conflict should be retryable")
	}

	first := <-slow
	if first.err != nil {
		t.Fatalf("slow first request: %v", first.err)
	}
	// The 409 was not stored: a retry now replays the first answer.
	again, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil || again.ID != first.inv.ID {
		t.Fatalf("retry after completion = %+v, %v; want replay of %s", again, err, first.inv.ID)
	}
	onlyInvoice(t, sim, 1)
}

func TestIdempotencyKeyExpiry(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	sim, c := startERP(t, erpsim.Options{Now: clock.Now}) // default TTL: 48 h
	ctx := context.Background()
	first, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil {
		t.Fatal(err)
	}

	clock.Advance(48*time.Hour - time.Second)
	again, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil || again.ID != first.ID {
		t.Fatalf("just before expiry got %+v, %v; want replay of %s", again, err, first.ID)
	}
	var apiErr *erp.APIError
	if _, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "10.00")); !errors.As(err, &apiErr) || apiErr.Code != "idempotency_key_mismatch" {
		t.Fatalf("just before expiry, different body: %v, want mismatch", err)
	}

	clock.Advance(time.Second)
	fresh, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "10.00"))
	if err != nil {
		t.Fatalf("after expiry the key is free again, got %v", err)
	}
	if fresh.ID == first.ID || fresh.Total != "10.00" || !fresh.CreatedAt.Equal(clock.Now()) {
		t.Errorf("after expiry got %+v, want a new invoice stamped %v", fresh, clock.Now())
	}
	if invoices, _ := sim.OrderRecords("acme.myshopify.com", 1); len(invoices) != 2 {
		t.Errorf("ERP holds %d invoices, want 2", len(invoices))
	}
}

func TestIdempotencyKeyCustomTTL(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	_, c := startERP(t, erpsim.Options{Now: clock.Now, KeyTTL: time.Minute})
	ctx := context.Background()
	first, err := c.CreateInvoice(ctx, "k", invoiceFor(1, "48.48"))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	second, err := c.CreateInvoice(ctx, "k", invoiceFor(1, "48.48"))
	if err != nil || second.ID == first.ID {
		t.Fatalf("after a 1 min TTL got %+v, %v; want a new invoice", second, err)
	}
}

// waitFor polls cond until it holds, failing the test after 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
