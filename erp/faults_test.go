package erp_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

// TestErrorFaults checks that faults that answer without an effect come
// back as APIError with the right status and Retry-After, and that the
// retry with the same key then creates the invoice exactly once.
func TestErrorFaults(t *testing.T) {
	httpDate := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name         string
		fault        erpsim.Fault
		wantStatus   int
		wantCode     string
		minRA, maxRA time.Duration
	}{
		{"default 503", erpsim.Fault{Kind: erpsim.FaultError}, 503, "injected_fault", 0, 0},
		{"explicit 500", erpsim.Fault{Kind: erpsim.FaultError, Status: 500}, 500, "injected_fault", 0, 0},
		{"rate limit default", erpsim.Fault{Kind: erpsim.FaultRateLimit}, 429, "rate_limited", time.Second, time.Second},
		{"rate limit integer seconds", erpsim.Fault{Kind: erpsim.FaultRateLimit, RetryAfter: "2"}, 429, "rate_limited", 2 * time.Second, 2 * time.Second},
		{"rate limit fractional seconds", erpsim.Fault{Kind: erpsim.FaultRateLimit, RetryAfter: "0.25"}, 429, "rate_limited", 250 * time.Millisecond, 250 * time.Millisecond},
		{"rate limit HTTP date", erpsim.Fault{Kind: erpsim.FaultRateLimit, RetryAfter: httpDate}, 429, "rate_limited", 80 * time.Second, 91 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim, c := startERP(t, erpsim.Options{})
			tc.fault.Method, tc.fault.PathPrefix, tc.fault.Count = "POST", "/v1/invoices", 1
			if err := sim.SetFaults([]erpsim.Fault{tc.fault}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			_, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
			var apiErr *erp.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want *APIError", err)
			}
			if apiErr.StatusCode != tc.wantStatus || apiErr.Code != tc.wantCode {
				t.Errorf("got %d %s, want %d %s", apiErr.StatusCode, apiErr.Code, tc.wantStatus, tc.wantCode)
			}
			if apiErr.RetryAfter < tc.minRA || apiErr.RetryAfter > tc.maxRA {
				t.Errorf("RetryAfter = %v, want within [%v, %v]", apiErr.RetryAfter, tc.minRA, tc.maxRA)
			}
			if !apiErr.Retryable() {
				t.Errorf("%d should be retryable", apiErr.StatusCode)
			}
			if inv, _ := sim.OrderRecords("acme.myshopify.com", 1); len(inv) != 0 {
				t.Fatalf("a fault without effect created %d invoices", len(inv))
			}
			if _, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48")); err != nil {
				t.Fatalf("retry after the fault: %v", err)
			}
			onlyInvoice(t, sim, 1)
			if n := sim.Stats().FaultsInjected[tc.fault.Kind]; n != 1 {
				t.Errorf("FaultsInjected[%s] = %d, want 1", tc.fault.Kind, n)
			}
		})
	}
}

func TestLatencyFault(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	const delay = 150 * time.Millisecond
	if err := sim.SetFaults([]erpsim.Fault{{Kind: erpsim.FaultLatency, Latency: delay, PathPrefix: "/v1/stock"}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.StockLevels(context.Background(), "MUG"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < delay {
		t.Errorf("request took %v, want at least %v", took, delay)
	}
	// A client deadline shorter than the latency surfaces as a timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.StockLevels(ctx, "MUG")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", err)
	}
}

func TestCommitThenTimeout(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	if err := sim.SetFaults([]erpsim.Fault{{Method: "POST", PathPrefix: "/v1/invoices", Kind: erpsim.FaultCommitThenTimeout, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err == nil {
		t.Fatal("CreateInvoice succeeded, want a network error")
	}
	var apiErr *erp.APIError
	if errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want a transport error, not an HTTP answer", err)
	}
	// The caller saw a failure, yet the ERP committed the invoice once.
	committed := onlyInvoice(t, sim, 1)

	got, err := c.CreateInvoice(ctx, "acme:1:invoice", invoiceFor(1, "48.48"))
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got.ID != committed.ID {
		t.Errorf("retry got invoice %s, want the committed %s", got.ID, committed.ID)
	}
	onlyInvoice(t, sim, 1)
	st := sim.Stats()
	if st.Requests["POST /v1/invoices"]["aborted"] != 1 || st.IdempotentReplays != 1 {
		t.Errorf("stats = %+v, want one aborted request and one replay", st)
	}
}

func TestCommitThenTimeoutWithLatencyTimesOut(t *testing.T) {
	sim, _ := startERP(t, erpsim.Options{})
	ts := serverURL(t, sim)
	c := erp.New(ts, freshHTTP(100*time.Millisecond)) // http.Client timeout
	if err := sim.SetFaults([]erpsim.Fault{{Kind: erpsim.FaultCommitThenTimeout, Latency: 2 * time.Second, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateInvoice(context.Background(), "acme:1:invoice", invoiceFor(1, "48.48"))
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("error = %v, want a net.Error timeout", err)
	}
	onlyInvoice(t, sim, 1)
}

func TestFaultCountIsRespected(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	if err := sim.SetFaults([]erpsim.Fault{{Kind: erpsim.FaultError, Count: 2}}); err != nil {
		t.Fatal(err)
	}
	var failures int
	for range 5 {
		if _, err := c.StockLevels(context.Background(), "MUG"); err != nil {
			failures++
		}
	}
	if failures != 2 {
		t.Errorf("%d of 5 requests failed, want exactly 2", failures)
	}
}
