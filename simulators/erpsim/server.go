package erpsim

import (
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"
)

// DefaultMaxBodyBytes caps request bodies when Options.MaxBodyBytes is zero.
const DefaultMaxBodyBytes = 1 << 20

// Options configure a Server. The zero value is ready to use.
type Options struct {
	// Logger receives one line per request (never bodies). Nil logs JSON
	// to stderr.
	Logger *slog.Logger
	// Now is the clock for Idempotency-Key expiry and created_at stamps;
	// tests inject a fake one. Nil means time.Now.
	Now func() time.Time
	// KeyTTL is how long Idempotency-Keys are kept; 0 means DefaultKeyTTL.
	KeyTTL time.Duration
	// MaxBodyBytes caps request bodies (413 beyond); 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// FaultSeed seeds the random source of fault probabilities so runs can
	// be reproduced; 0 picks a random seed.
	FaultSeed uint64
	// StrictSKUs makes invoices with SKUs missing from the product master
	// fail with 422 unknown_sku, as a strict ERP would.
	StrictSKUs bool
}

// Server is an in-memory ERP. Create it with New; it is safe for
// concurrent use.
type Server struct {
	log        *slog.Logger
	now        func() time.Time
	maxBody    int64
	strictSKUs bool
	mux        *http.ServeMux
	keys       *keyStore
	faults     *faultSet
	stats      *counters
	// backfill holds the product master and backfill records
	// (productmaster.go, backfillrecords.go), under a lock of its own.
	backfill *backfillData

	mu           sync.Mutex // guards the ERP data below
	products     map[string]Product
	invoices     []Invoice
	invoiceIndex map[string]int // invoice ID → index in invoices
	fulfillments []FulfillmentRequest
	stock        map[stockKey]stockEntry
	stockSorted  []stockKey // stock's keys in SKU, location order; nil when stale
}

type stockKey struct{ sku, location string }

// New returns a Server with no data and no faults.
func New(opts Options) *Server {
	s := &Server{
		log:        opts.Logger,
		now:        opts.Now,
		maxBody:    opts.MaxBodyBytes,
		strictSKUs: opts.StrictSKUs,
		faults:     newFaultSet(opts.FaultSeed),
		stats:      newCounters(),
		backfill:   newBackfillData(),
	}
	if s.log == nil {
		s.log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	ttl := opts.KeyTTL
	if ttl <= 0 {
		ttl = DefaultKeyTTL
	}
	s.keys = newKeyStore(s.now, ttl)
	s.resetData()
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.Handle("PUT /v1/products/{sku}", s.v1(s.handlePutProduct, false))
	s.mux.Handle("GET /v1/products/{sku}", s.v1(s.handleGetProduct, false))
	s.mux.Handle("GET /v1/products", s.v1(s.handleListProducts, false))
	s.mux.Handle("PUT /v1/product-master/{id}", s.v1(s.handlePutProductMaster, false))
	s.mux.Handle("GET /v1/product-master", s.v1(s.handleListProductMasters, false))
	s.mux.Handle("PUT /v1/backfill-records/{backfill}/{batch}", s.v1(s.handlePutBackfillRecord, false))
	s.mux.Handle("GET /v1/backfill-records/{backfill}", s.v1(s.handleListBackfillRecords, false))
	s.mux.Handle("POST /v1/invoices", s.v1(s.handleCreateInvoice, true))
	s.mux.Handle("GET /v1/invoices", s.v1(s.handleListInvoices, false))
	s.mux.Handle("POST /v1/fulfillment-requests", s.v1(s.handleCreateFulfillment, true))
	s.mux.Handle("GET /v1/stock", s.v1(s.handleGetStock, false))
	s.mux.Handle("PUT /v1/stock/{sku}/{location}", s.v1OptionalKey(s.handlePutStock))
	s.mux.Handle("GET /v1/stock/export", s.v1(s.handleExportStock, false))
	s.mux.Handle("POST /v1/stock/checksums", s.v1(s.handleStockChecksums, false))

	s.mux.HandleFunc("GET /admin/orders/{shop}/{order_id}", s.handleAdminOrder)
	s.mux.HandleFunc("GET /admin/stats", s.handleAdminStats)
	s.mux.HandleFunc("POST /admin/reset", s.handleAdminReset)
	s.mux.HandleFunc("GET /admin/faults", s.handleAdminGetFaults)
	s.mux.HandleFunc("POST /admin/faults", s.handleAdminSetFaults)
	s.mux.HandleFunc("DELETE /admin/faults", s.handleAdminClearFaults)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		jsonResponse(http.StatusOK, map[string]string{"status": "ok"}).write(w)
	})
}

// Handler returns the simulator's HTTP handler: every route wrapped in
// request logging, counters and the body size limit.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// HTTPServer returns an http.Server for the simulator on addr with timeouts
// set so slow or stuck clients cannot hold connections forever.
// writeTimeout must exceed the longest injected latency; 0 means 30 s.
func (s *Server) HTTPServer(addr string, writeTimeout time.Duration) *http.Server {
	if writeTimeout <= 0 {
		writeTimeout = 30 * time.Second
	}
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

func (s *Server) resetData() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products = make(map[string]Product)
	s.invoices = nil
	s.invoiceIndex = make(map[string]int)
	s.fulfillments = nil
	s.stock = make(map[stockKey]stockEntry)
	s.stockSorted = nil
}
