package erp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// The backfill record store: where backfills keep, per batch, every field
// they change (or, in a dry run, would change) with its value before and
// after. It is the rollback snapshot and the run's report. It lives with
// the ERP because the ERP is the durable store every worker machine
// already reaches; workflow history only holds counts.

// FieldValue is a typed value of one field, e.g. a metafield's type and
// value.
type FieldValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Equal reports whether a and b hold the same value; nil means absent.
func (a *FieldValue) Equal(b *FieldValue) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// FieldChange is one field of one item that a backfill changes.
type FieldChange struct {
	// Item identifies the entity, e.g. a product's GID.
	Item string `json:"item"`
	// Field names the field within the item, e.g. "erp.material".
	Field string `json:"field"`
	// Before is the value before the backfill; nil if the field did not
	// exist.
	Before *FieldValue `json:"before"`
	// After is the value the backfill writes; nil removes the field.
	After *FieldValue `json:"after"`
	// Outcome is empty while planned, else what happened, e.g. "failed".
	Outcome string `json:"outcome,omitempty"`
	// Error says why the change failed.
	Error string `json:"error,omitempty"`
}

// BackfillRecord is what one batch of a backfill recorded.
type BackfillRecord struct {
	Backfill string        `json:"backfill"`
	Batch    int           `json:"batch"`
	Items    int           `json:"items"`
	Changes  []FieldChange `json:"changes"`
}

// MaxBackfillRecords bounds the records one BackfillRecords call returns.
const MaxBackfillRecords = 100

// RecordBackfillBatch merges rec into the record of its batch and returns
// the merged record. The first record of a field wins its Before and
// After: a batch that is redone after its writes were applied finds
// nothing left to change, and must not erase what the first attempt
// recorded. Outcome and Error are updated when given.
func (c *Client) RecordBackfillBatch(ctx context.Context, rec BackfillRecord) (BackfillRecord, error) {
	var out BackfillRecord
	err := c.do(ctx, call{
		method: http.MethodPut,
		path:   "/v1/backfill-records/" + url.PathEscape(rec.Backfill) + "/" + strconv.Itoa(rec.Batch),
		in:     rec, out: &out,
	})
	return out, err
}

// BackfillRecords returns up to limit records of a backfill whose batch
// number is above afterBatch, in batch order, and whether more follow.
func (c *Client) BackfillRecords(ctx context.Context, backfill string, afterBatch, limit int) ([]BackfillRecord, bool, error) {
	var out struct {
		Records []BackfillRecord `json:"records"`
		More    bool             `json:"more"`
	}
	err := c.do(ctx, call{
		method: http.MethodGet,
		path:   "/v1/backfill-records/" + url.PathEscape(backfill),
		query:  url.Values{"after_batch": {strconv.Itoa(afterBatch)}, "limit": {strconv.Itoa(limit)}},
		out:    &out,
	})
	return out.Records, out.More, err
}
