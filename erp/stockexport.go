package erp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"strconv"
)

// StockExportQuery selects a page of the stock export: records ordered by
// SKU, then location, with From <= SKU < To.
type StockExportQuery struct {
	// From is the first SKU of the range; "" is the first of all.
	From string
	// To is the first SKU after the range; "" means no end.
	To string
	// Locations restricts the export to these locations; empty means all.
	Locations []string
	// After is the cursor of the previous page; "" starts at From.
	After string
	// Limit is the page size; 0 lets the ERP choose (at most MaxExportLimit).
	Limit int
}

// MaxExportLimit is the largest page of the stock export an ERP must serve.
const MaxExportLimit = 5000

// StockExportPage is one page of the stock export.
type StockExportPage struct {
	Records []StockRecord `json:"records"`
	// Next is the cursor of the next page, "" after the last.
	Next string `json:"next"`
}

// ExportStock reads one page of the stock export.
func (c *Client) ExportStock(ctx context.Context, q StockExportQuery) (StockExportPage, error) {
	v := url.Values{}
	if q.From != "" {
		v.Set("from", q.From)
	}
	if q.To != "" {
		v.Set("to", q.To)
	}
	for _, l := range q.Locations {
		v.Add("location", l)
	}
	if q.After != "" {
		v.Set("after", q.After)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var out StockExportPage
	err := c.do(ctx, call{method: http.MethodGet, path: "/v1/stock/export", query: v, out: &out})
	if out.Records == nil {
		out.Records = []StockRecord{}
	}
	return out, err
}

// SKURange is the SKUs s with From <= s < To; To "" means no end.
type SKURange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Contains reports whether sku lies in the range.
func (r SKURange) Contains(sku string) bool {
	return sku >= r.From && (r.To == "" || sku < r.To)
}

// RangeChecksum is the checksum of the stock records of a SKU range.
type RangeChecksum struct {
	SKURange
	// Count is the number of records in the range.
	Count int `json:"count"`
	// Checksum is StockHasher's sum over them.
	Checksum string `json:"checksum"`
}

// MaxChecksumRanges is how many ranges one StockChecksums call may ask for.
const MaxChecksumRanges = 1000

// StockChecksums asks the ERP for the checksum of each range, over the
// records at the given locations (all if empty).
func (c *Client) StockChecksums(ctx context.Context, locations []string, ranges []SKURange) ([]RangeChecksum, error) {
	var out struct {
		Ranges []RangeChecksum `json:"ranges"`
	}
	err := c.do(ctx, call{
		method: http.MethodPost, path: "/v1/stock/checksums",
		in: struct {
			Locations []string   `json:"locations"`
			Ranges    []SKURange `json:"ranges"`
		}{locations, ranges},
		out: &out,
	})
	return out.Ranges, err
}

// StockHasher computes the checksum of a run of stock records, the one
// function both sides of a reconciliation must agree on (see the package
// documentation): SHA-256 over one line "sku \x1f location \x1f available
// \n" per record, in SKU then location order, hex-encoded and cut to 32
// characters.
type StockHasher struct {
	h hash.Hash
	n int
}

// NewStockHasher returns an empty hasher.
func NewStockHasher() *StockHasher { return &StockHasher{h: sha256.New()} }

// Add adds the next record; records must come in SKU, then location, order.
func (s *StockHasher) Add(sku, location string, available int) {
	s.h.Write([]byte(sku))
	s.h.Write([]byte{0x1f})
	s.h.Write([]byte(location))
	s.h.Write([]byte{0x1f})
	s.h.Write(strconv.AppendInt(nil, int64(available), 10))
	s.h.Write([]byte{'\n'})
	s.n++
}

// Sum returns the checksum of a range with the records added so far.
func (s *StockHasher) Sum(r SKURange) RangeChecksum {
	return RangeChecksum{SKURange: r, Count: s.n, Checksum: hex.EncodeToString(s.h.Sum(nil))[:32]}
}
