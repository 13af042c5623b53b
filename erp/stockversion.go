package erp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// StockRecord is a SKU's stock at one location with what the reconcilers
// need besides the quantity: the version of the last versioned write (the
// time Shopify stamped the change with) and when the ERP last changed it.
type StockRecord struct {
	SKU       string `json:"sku"`
	Location  string `json:"location"`
	Available int    `json:"available"`
	// Version is the newest version written, zero if no write carried one.
	Version time.Time `json:"version,omitzero"`
	// UpdatedAt is when the ERP last changed the record.
	UpdatedAt time.Time `json:"updated_at"`
}

// ErrStaleVersion reports that the ERP already holds a newer version of a
// stock record than the one written: the write was not applied, which is
// the intended outcome for a webhook that arrives after a newer one.
var ErrStaleVersion = errors.New("erp: a newer stock version is stored")

// StockWrite is a conditional stock write.
type StockWrite struct {
	SKU       string
	Location  string
	Available int
	// Version orders writes: the ERP applies the write only if it holds no
	// newer version (an equal one is applied, since one-second timestamps
	// cannot order two changes of the same second). Zero writes
	// unconditionally and leaves the stored version alone.
	Version time.Time
	// IdempotencyKey, if set, makes a repeated write answer as the first.
	IdempotencyKey string
}

// SetStockVersioned writes a stock record unless the ERP holds a newer
// version. A stale write returns the stored record and an error matching
// ErrStaleVersion; callers treat it as done.
func (c *Client) SetStockVersioned(ctx context.Context, w StockWrite) (StockRecord, error) {
	body := struct {
		Available int        `json:"available"`
		Version   *time.Time `json:"version,omitempty"`
	}{Available: w.Available}
	if !w.Version.IsZero() {
		v := w.Version.UTC()
		body.Version = &v
	}
	var out StockRecord
	err := c.do(ctx, call{
		method:         http.MethodPut,
		path:           "/v1/stock/" + url.PathEscape(w.SKU) + "/" + url.PathEscape(w.Location),
		idempotencyKey: w.IdempotencyKey,
		in:             body,
		out:            &out,
	})
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusPreconditionFailed && apiErr.Code == CodeStaleVersion {
		rec, gerr := c.StockRecordOf(ctx, w.SKU, w.Location)
		if gerr != nil {
			return StockRecord{}, fmt.Errorf("%w (%s at %s); reading the stored record: %v", ErrStaleVersion, w.SKU, w.Location, gerr)
		}
		return rec, fmt.Errorf("%w: %s at %s holds version %s", ErrStaleVersion, w.SKU, w.Location, rec.Version.Format(time.RFC3339))
	}
	return out, err
}

// CodeStaleVersion is the error code of a 412 answer to a stock write whose
// version is older than the stored one.
const CodeStaleVersion = "stale_version"

// StockRecordOf returns the stock record of a SKU at a location; a record
// the ERP does not have comes back with Available 0 and zero times.
func (c *Client) StockRecordOf(ctx context.Context, sku, location string) (StockRecord, error) {
	page, err := c.ExportStock(ctx, StockExportQuery{From: sku, To: sku + "\x00", Locations: []string{location}, Limit: 1})
	if err != nil {
		return StockRecord{}, err
	}
	if len(page.Records) == 0 {
		return StockRecord{SKU: sku, Location: location}, nil
	}
	return page.Records[0], nil
}
