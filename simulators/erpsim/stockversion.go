package erpsim

import (
	"cmp"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopflow/shopflow/erp"
)

// The reconcilable stock of the ERP contract (erp/doc.go): versioned
// conditional writes, a paged export in SKU order and checksums by SKU
// range, as a real ERP would serve them from its stock table.

// stockEntry is one SKU's stock at one location.
type stockEntry struct {
	available int
	version   time.Time // newest version written; zero if none was
	updatedAt time.Time
}

// StockRecord is a stock level with its version and last change, as the
// export serves it.
type StockRecord = erp.StockRecord

// writeStock applies a stock write unless a newer version is stored; it
// returns the record as stored and whether the write was stale.
func (s *Server) writeStock(sku, location string, available int, version *time.Time) (StockRecord, bool) {
	k := stockKey{sku, location}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, exists := s.stock[k]
	if version != nil && e.version.After(*version) {
		return e.record(k), true
	}
	e.available = available
	if version != nil {
		e.version = version.UTC()
	}
	e.updatedAt = s.now().UTC()
	s.stock[k] = e
	if !exists {
		s.stockSorted = nil
	}
	return e.record(k), false
}

func (e stockEntry) record(k stockKey) StockRecord {
	return StockRecord{SKU: k.sku, Location: k.location, Available: e.available, Version: e.version, UpdatedAt: e.updatedAt}
}

// SetStockLevel sets a SKU's stock at a location unconditionally, as a
// warehouse count would; tests seed and change the ERP with it.
func (s *Server) SetStockLevel(sku, location string, available int) StockRecord {
	rec, _ := s.writeStock(sku, location, available, nil)
	return rec
}

// StockRecordOf returns the stock of a SKU at a location and whether the
// ERP has it.
func (s *Server) StockRecordOf(sku, location string) (StockRecord, bool) {
	k := stockKey{sku, location}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.stock[k]
	return e.record(k), ok
}

// sortedStock returns the stock keys in SKU, then location, order. Callers
// hold mu.
func (s *Server) sortedStock() []stockKey {
	if s.stockSorted == nil {
		keys := make([]stockKey, 0, len(s.stock))
		for k := range s.stock {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, compareStockKeys)
		s.stockSorted = keys
	}
	return s.stockSorted
}

func compareStockKeys(a, b stockKey) int {
	return cmp.Or(cmp.Compare(a.sku, b.sku), cmp.Compare(a.location, b.location))
}

// eachInRange calls fn for each stock record in r at the given locations
// (all if none), in order, starting after the key after if not nil, until
// fn returns false. Callers hold mu.
func (s *Server) eachInRange(r erp.SKURange, locations []string, after *stockKey, fn func(stockKey, stockEntry) bool) {
	keys := s.sortedStock()
	start := stockKey{sku: r.From}
	if after != nil && compareStockKeys(*after, start) >= 0 {
		start = *after
	}
	i, _ := slices.BinarySearchFunc(keys, start, compareStockKeys)
	if after != nil && i < len(keys) && keys[i] == *after {
		i++
	}
	for ; i < len(keys); i++ {
		k := keys[i]
		if r.To != "" && k.sku >= r.To {
			return
		}
		if len(locations) > 0 && !slices.Contains(locations, k.location) {
			continue
		}
		if !fn(k, s.stock[k]) {
			return
		}
	}
}

// defaultExportLimit is the export's page size when the client names none.
const defaultExportLimit = 1000

func (s *Server) handleExportStock(r *http.Request, _ []byte) response {
	q := r.URL.Query()
	rng := erp.SKURange{From: q.Get("from"), To: q.Get("to")}
	limit := defaultExportLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > erp.MaxExportLimit {
			return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "limit must be between 1 and "+strconv.Itoa(erp.MaxExportLimit))
		}
		limit = n
	}
	var after *stockKey
	if c := q.Get("after"); c != "" {
		k, ok := decodeStockCursor(c)
		if !ok {
			return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "after is not a cursor this ERP issued")
		}
		after = &k
	}
	page := erp.StockExportPage{Records: []StockRecord{}}
	s.mu.Lock()
	var last stockKey
	more := false
	s.eachInRange(rng, q["location"], after, func(k stockKey, e stockEntry) bool {
		if len(page.Records) == limit {
			more = true
			return false
		}
		page.Records = append(page.Records, e.record(k))
		last = k
		return true
	})
	s.mu.Unlock()
	if more {
		page.Next = encodeStockCursor(last)
	}
	return jsonResponse(http.StatusOK, page)
}

// checksumsInput is the body of POST /v1/stock/checksums.
type checksumsInput struct {
	Locations []string       `json:"locations"`
	Ranges    []erp.SKURange `json:"ranges"`
}

func (s *Server) handleStockChecksums(_ *http.Request, body []byte) response {
	var in checksumsInput
	if errResp := decodeJSON(body, &in); errResp != nil {
		return *errResp
	}
	if len(in.Ranges) == 0 || len(in.Ranges) > erp.MaxChecksumRanges {
		return validationError([]string{"ranges must hold between 1 and " + strconv.Itoa(erp.MaxChecksumRanges) + " ranges"})
	}
	out := make([]erp.RangeChecksum, len(in.Ranges))
	s.mu.Lock()
	for i, rng := range in.Ranges {
		h := erp.NewStockHasher()
		s.eachInRange(rng, in.Locations, nil, func(k stockKey, e stockEntry) bool {
			h.Add(k.sku, k.location, e.available)
			return true
		})
		out[i] = h.Sum(rng)
	}
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, map[string][]erp.RangeChecksum{"ranges": out})
}

func encodeStockCursor(k stockKey) string {
	return base64.RawURLEncoding.EncodeToString([]byte(k.sku + "\x00" + k.location))
}

func decodeStockCursor(c string) (stockKey, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return stockKey{}, false
	}
	sku, loc, ok := strings.Cut(string(b), "\x00")
	return stockKey{sku, loc}, ok
}

// v1OptionalKey serves a route whose writes are idempotent by nature (a
// set, not an add) through the Idempotency-Key protocol when the client
// sends a key, and as a plain route when it does not.
func (s *Server) v1OptionalKey(h apiHandler) http.Handler {
	keyed, plain := s.v1(h, true), s.v1(h, false)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Idempotency-Key") != "" {
			keyed.ServeHTTP(w, r)
			return
		}
		plain.ServeHTTP(w, r)
	})
}
