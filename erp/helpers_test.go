package erp_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

// fakeClock is a settable clock for key expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// startERP serves a fresh simulator over real HTTP and returns it with a
// client. Each client gets its own transport, so a test never reuses a
// connection another test left behind.
func startERP(t *testing.T, opts erpsim.Options) (*erpsim.Server, *erp.Client) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	sim := erpsim.New(opts)
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	return sim, erp.New(ts.URL, freshHTTP(5*time.Second))
}

// freshHTTP returns a client that opens a new connection per request. That
// keeps net/http from transparently resending an Idempotency-Key request
// on a dead keep-alive connection, which would hide the error that
// commit_then_timeout tests expect.
func freshHTTP(timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
}

func invoiceFor(orderID int64, total string) erp.InvoiceRequest {
	return erp.InvoiceRequest{
		Shop:      "acme.myshopify.com",
		OrderID:   orderID,
		OrderName: "#1001",
		Currency:  "EUR",
		Lines: []erp.InvoiceLine{
			{SKU: "TSHIRT-M", Quantity: 2, UnitPrice: "19.99"},
			{SKU: "MUG", Quantity: 1, UnitPrice: "8.50"},
		},
		Total: total,
	}
}

func onlyInvoice(t *testing.T, sim *erpsim.Server, orderID int64) erpsim.Invoice {
	t.Helper()
	invoices, _ := sim.OrderRecords("acme.myshopify.com", orderID)
	if len(invoices) != 1 {
		t.Fatalf("ERP holds %d invoices for order %d, want exactly 1", len(invoices), orderID)
	}
	return invoices[0]
}

// serverURL serves sim on a new test server and returns its URL, for tests
// that need a client configured differently from startERP's.
func serverURL(t *testing.T, sim *erpsim.Server) string {
	t.Helper()
	ts := httptest.NewServer(sim.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}
