package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// BackfillKind is one kind of backfill: what it reads on each side, how it
// compares, and what it writes. The engine (the Backfill activities and the
// workflow in workflows/backfill) does the rest: batching, rate, dry runs,
// snapshots for rollback, progress, resuming. A kind lives in one file,
// e.g. backfillmetafields.go, and is listed in backfillKinds.
type BackfillKind interface {
	// Count returns how many items match filter on the side written to.
	Count(ctx context.Context, shop, filter string) (int, error)
	// Read reads up to limit items after cursor ("" for the start), with
	// the fields each holds now and the fields the source of truth wants.
	Read(ctx context.Context, shop, filter, cursor string, limit int) (BackfillPage, error)
	// Diff returns the changes that make item hold what it should; nothing
	// if it already does.
	Diff(item BackfillItem) []erp.FieldChange
	// Current reads the fields the items hold now, for rollback to compare
	// before restoring.
	Current(ctx context.Context, shop string, items []string) (map[string]Fields, error)
	// Write applies changes (a nil After removes the field). It returns,
	// by index into changes, the error of each change that failed for good;
	// or an error if the call should be retried as a whole. Writes must be
	// idempotent: writing a value twice changes nothing the second time.
	Write(ctx context.Context, shop string, changes []erp.FieldChange) (map[int]error, error)
}

// Fields are an item's fields by name.
type Fields map[string]erp.FieldValue

// BackfillItem is one item as read on both sides.
type BackfillItem struct {
	// ID identifies the item, e.g. a product's GID.
	ID string
	// Current is what the item holds now; Want what the source says it
	// should hold. A field absent from Want is left as it is.
	Current, Want Fields
}

// BackfillPage is one page of items and where the next page starts.
type BackfillPage struct {
	Items []BackfillItem
	Next  string
	More  bool
}

// DiffFields is the usual comparison: every field of Want whose type or
// value differs from Current, or that Current lacks, in field-name order.
func DiffFields(item BackfillItem) []erp.FieldChange {
	var out []erp.FieldChange
	names := make([]string, 0, len(item.Want))
	for name := range item.Want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		want := item.Want[name]
		var before *erp.FieldValue
		if cur, ok := item.Current[name]; ok {
			before = &cur
		}
		if before.Equal(&want) {
			continue
		}
		out = append(out, erp.FieldChange{Item: item.ID, Field: name, Before: before, After: &want})
	}
	return out
}

// BackfillStore keeps each batch's changes with their values before and
// after: the rollback snapshot and the report. *erp.Client is one.
type BackfillStore interface {
	RecordBackfillBatch(ctx context.Context, rec erp.BackfillRecord) (erp.BackfillRecord, error)
	BackfillRecords(ctx context.Context, backfill string, afterBatch, limit int) ([]erp.BackfillRecord, bool, error)
}

// Outcomes of a recorded change.
const (
	OutcomeChanged     = "changed"
	OutcomeWouldChange = "would_change"
	OutcomeFailed      = "failed"
	OutcomeRestored    = "restored"
	OutcomeLeftAlone   = "left_alone"
)

// Backfill holds the activities of the backfill engine, generic over
// BackfillKind.
type Backfill struct {
	// Kinds are the kinds this worker runs, by name.
	Kinds map[string]BackfillKind
	// Store keeps the batches' snapshots and outcomes (the ERP).
	Store BackfillStore
	// Shopify hands the shop's bucket from batch to batch (see handOff).
	Shopify *ShopifyClients
	// Retry classifies the errors of downstream calls.
	Retry   RetryPolicy
	metrics *backfillMetrics
	// bulk keeps the parsed bulk reads of this process (backfillbulk.go).
	bulk bulkSnapshots
}

// BackfillDeps are what the backfill activities need.
type BackfillDeps struct {
	// ERP is the source of truth and the record store.
	ERP *erp.Client
	// Shopify gives the kinds their backfill clients (ForBackfill).
	Shopify *ShopifyClients
	Retry   RetryPolicy
	// Metrics registers the backfill metrics; nil records nothing.
	Metrics prometheus.Registerer
}

// NewBackfill returns the backfill activities with every kind of
// backfillKinds, the ERP as their record store.
func NewBackfill(deps BackfillDeps) *Backfill {
	kinds := make(map[string]BackfillKind, len(backfillKinds))
	for name, mk := range backfillKinds {
		kinds[name] = mk(deps)
	}
	return &Backfill{Kinds: kinds, Store: deps.ERP, Shopify: deps.Shopify, Retry: deps.Retry, metrics: newBackfillMetrics(deps.Metrics)}
}

// backfillKinds lists every kind by name: the second half of adding a
// kind, after its entry in workflows/backfill's registry.
var backfillKinds = map[string]func(BackfillDeps) BackfillKind{
	"metafields": newMetafieldsKind,
}

// BackfillKindNames returns the names of the kinds, sorted.
func BackfillKindNames() []string {
	var names []string
	for n := range backfillKinds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (a *Backfill) kind(name string) (BackfillKind, error) {
	k, ok := a.Kinds[name]
	if !ok {
		// A workflow asking for a kind this worker lacks is bad input;
		// retrying cannot fix it.
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("unknown backfill kind %q: want one of %v", name, BackfillKindNames()), FailureInvalidPayload, nil)
	}
	return k, nil
}

// CountBackfillInput asks how many items a backfill will go through.
type CountBackfillInput struct {
	Kind, Shop, Filter string
}

// CountBackfillItems counts the items matching the backfill's filter.
func (a *Backfill) CountBackfillItems(ctx context.Context, in CountBackfillInput) (int, error) {
	k, err := a.kind(in.Kind)
	if err != nil {
		return 0, err
	}
	n, err := k.Count(ctx, in.Shop, in.Filter)
	if err != nil {
		return 0, a.Retry.classify(ctx, err)
	}
	return n, nil
}

// BackfillBatchInput is one batch of a backfill.
type BackfillBatchInput struct {
	Kind, Shop, Filter string
	// Backfill is the backfill's ID, under which the batch is recorded.
	Backfill string
	// Batch numbers the batch from 1; Cursor is where it starts.
	Batch  int
	Cursor string
	Limit  int
	DryRun bool
	// Done and Total are the progress before this batch, for the metrics.
	Done, Total int
	// Bucket is the shop's bucket as the previous batch left it, perhaps
	// in another worker process.
	Bucket *admin.BucketState
	// BulkOperation, if set, is the completed bulk read the batch takes
	// its items from (StartBackfillBulkRead); Cursor is then an item ID.
	BulkOperation string
}

// BackfillBatchResult is what a batch did (or, in a dry run, would do).
type BackfillBatchResult struct {
	Next string
	More bool
	// Items were read; of them Changed had at least one field written,
	// Failed at least one change that failed for good, Skipped nothing to
	// change.
	Items, Changed, Skipped, Failed int
	// Fields counts the field changes, written or (dry run) predicted.
	Fields int
	// Sample is the batch's first few changes, for the status.
	Sample []erp.FieldChange
	// Attempt is the activity attempt that did it: above 1 when the batch
	// was redone.
	Attempt int32
	// Bucket is the shop's bucket as this batch left it, for the next.
	Bucket *admin.BucketState
}

// sampleSize bounds BackfillBatchResult.Sample.
const sampleSize = 5

// RunBackfillBatch reads a batch on both sides, records what differs
// (before and after) in the store, and unless it is a dry run writes it.
// A redone batch reads again, so it writes only what is still missing,
// and the store keeps the first attempt's snapshot.
func (a *Backfill) RunBackfillBatch(ctx context.Context, in BackfillBatchInput) (BackfillBatchResult, error) {
	k, err := a.kind(in.Kind)
	if err != nil {
		return BackfillBatchResult{}, err
	}
	defer keepAlive(ctx)()
	a.seed(in.Shop, in.Bucket)
	var page BackfillPage
	if in.BulkOperation != "" {
		page, err = a.readBulkBatch(ctx, k, in)
	} else {
		page, err = k.Read(ctx, in.Shop, in.Filter, in.Cursor, in.Limit)
	}
	if err != nil {
		return BackfillBatchResult{}, a.Retry.classify(ctx, err)
	}
	var diff []erp.FieldChange
	for _, item := range page.Items {
		diff = append(diff, k.Diff(item)...)
	}
	outcome := OutcomeChanged
	if in.DryRun {
		outcome = OutcomeWouldChange
	}
	rec := erp.BackfillRecord{Backfill: in.Backfill, Batch: in.Batch, Items: len(page.Items), Changes: diff}
	if in.DryRun {
		rec.Changes = withOutcome(diff, OutcomeWouldChange)
	}
	heartbeat(ctx)
	// The snapshot is stored before anything is written.
	stored, err := a.Store.RecordBackfillBatch(ctx, rec)
	if err != nil {
		return BackfillBatchResult{}, a.Retry.classify(ctx, err)
	}
	if !in.DryRun {
		failures, err := k.Write(ctx, in.Shop, diff)
		if err != nil {
			return BackfillBatchResult{}, a.Retry.classify(ctx, err)
		}
		// Every recorded change not failing now is applied: written now, or
		// by an earlier attempt (which is why this read found it no more).
		failed := map[[2]string]string{}
		for i, ferr := range failures {
			failed[[2]string{diff[i].Item, diff[i].Field}] = ferr.Error()
		}
		outcomes := make([]erp.FieldChange, len(stored.Changes))
		for i, c := range stored.Changes {
			c.Outcome, c.Error = OutcomeChanged, ""
			if msg, ok := failed[[2]string{c.Item, c.Field}]; ok {
				c.Outcome, c.Error = OutcomeFailed, msg
			}
			outcomes[i] = c
		}
		heartbeat(ctx)
		stored, err = a.Store.RecordBackfillBatch(ctx, erp.BackfillRecord{Backfill: in.Backfill, Batch: in.Batch, Items: len(page.Items), Changes: outcomes})
		if err != nil {
			return BackfillBatchResult{}, a.Retry.classify(ctx, err)
		}
	}
	res := summarize(stored, outcome)
	res.Next, res.More = page.Next, page.More
	res.Items = len(page.Items)
	res.Skipped = res.Items - res.Changed - res.Failed
	res.Attempt = attempt(ctx)
	res.Bucket = a.bucket(in.Shop)
	a.metrics.batch(in, res)
	return res, nil
}

// summarize counts a record's items by outcome.
func summarize(rec erp.BackfillRecord, changed string) BackfillBatchResult {
	var res BackfillBatchResult
	items := map[string]string{}
	for _, c := range rec.Changes {
		switch {
		case c.Outcome == OutcomeFailed:
			items[c.Item] = OutcomeFailed
		case items[c.Item] == "":
			items[c.Item] = changed
		}
		if c.Outcome != OutcomeFailed {
			res.Fields++
		}
		if len(res.Sample) < sampleSize {
			res.Sample = append(res.Sample, c)
		}
	}
	for _, o := range items {
		if o == OutcomeFailed {
			res.Failed++
		} else {
			res.Changed++
		}
	}
	return res
}

func withOutcome(changes []erp.FieldChange, outcome string) []erp.FieldChange {
	out := slices.Clone(changes)
	for i := range out {
		out[i].Outcome = outcome
	}
	return out
}

// BackfillRollbackInput is one batch of a rollback: the first recorded
// batch of Backfill after AfterBatch.
type BackfillRollbackInput struct {
	Kind, Shop string
	// Backfill is the ID of the backfill rolled back; Rollback the
	// rollback's own ID, under which its outcomes are recorded.
	Backfill, Rollback string
	AfterBatch         int
	Bucket             *admin.BucketState
}

// BackfillRollbackResult is what a rollback batch did.
type BackfillRollbackResult struct {
	// Batch is the backfill batch rolled back; Done means none was left.
	Batch int
	Done  bool
	// Restored fields hold their value from before the backfill again;
	// LeftAlone fields were changed by someone after the backfill wrote
	// them and are reported, not overwritten; Failed could not be restored.
	Restored, LeftAlone, Failed int
	// LeftAloneSample lists the first few fields left alone.
	LeftAloneSample []erp.FieldChange
	Attempt         int32
	Bucket          *admin.BucketState
}

// RollbackBackfillBatch restores one recorded batch: each field the
// backfill changed that still holds the backfill's value gets its value
// from before (or is removed if it did not exist); a field that holds
// anything else was edited since and is left alone. Rerunning it changes
// nothing more: a restored field holds its Before value, which is not the
// backfill's.
func (a *Backfill) RollbackBackfillBatch(ctx context.Context, in BackfillRollbackInput) (BackfillRollbackResult, error) {
	k, err := a.kind(in.Kind)
	if err != nil {
		return BackfillRollbackResult{}, err
	}
	defer keepAlive(ctx)()
	a.seed(in.Shop, in.Bucket)
	recs, _, err := a.Store.BackfillRecords(ctx, in.Backfill, in.AfterBatch, 1)
	if err != nil {
		return BackfillRollbackResult{}, a.Retry.classify(ctx, err)
	}
	if len(recs) == 0 {
		return BackfillRollbackResult{Done: true, Batch: in.AfterBatch}, nil
	}
	rec := recs[0]
	res := BackfillRollbackResult{Batch: rec.Batch, Attempt: attempt(ctx)}
	var ids []string
	seen := map[string]bool{}
	for _, c := range rec.Changes {
		if c.Outcome != OutcomeFailed && c.Outcome != OutcomeWouldChange && !seen[c.Item] {
			seen[c.Item] = true
			ids = append(ids, c.Item)
		}
	}
	current, err := k.Current(ctx, in.Shop, ids)
	if err != nil {
		return BackfillRollbackResult{}, a.Retry.classify(ctx, err)
	}
	var restore, outcomes []erp.FieldChange
	for _, c := range rec.Changes {
		if !seen[c.Item] || c.Outcome == OutcomeFailed {
			continue
		}
		var cur *erp.FieldValue
		if v, ok := current[c.Item][c.Field]; ok {
			cur = &v
		}
		switch {
		case cur.Equal(c.After):
			restore = append(restore, erp.FieldChange{Item: c.Item, Field: c.Field, Before: cur, After: c.Before})
		case cur.Equal(c.Before):
			// Restored by an earlier attempt, or never written.
			outcomes = append(outcomes, erp.FieldChange{Item: c.Item, Field: c.Field, Before: cur, After: cur, Outcome: OutcomeRestored})
		default:
			outcomes = append(outcomes, erp.FieldChange{Item: c.Item, Field: c.Field, Before: cur, After: cur, Outcome: OutcomeLeftAlone,
				Error: "changed after the backfill wrote it; left alone"})
		}
	}
	heartbeat(ctx)
	failures, err := k.Write(ctx, in.Shop, restore)
	if err != nil {
		return BackfillRollbackResult{}, a.Retry.classify(ctx, err)
	}
	for i, c := range restore {
		c.Outcome = OutcomeRestored
		if ferr, ok := failures[i]; ok {
			c.Outcome, c.Error = OutcomeFailed, ferr.Error()
		}
		outcomes = append(outcomes, c)
	}
	stored, err := a.Store.RecordBackfillBatch(ctx, erp.BackfillRecord{Backfill: in.Rollback, Batch: rec.Batch, Items: len(ids), Changes: outcomes})
	if err != nil {
		return BackfillRollbackResult{}, a.Retry.classify(ctx, err)
	}
	for _, c := range stored.Changes {
		switch c.Outcome {
		case OutcomeRestored:
			res.Restored++
		case OutcomeLeftAlone:
			res.LeftAlone++
			if len(res.LeftAloneSample) < 20 {
				res.LeftAloneSample = append(res.LeftAloneSample, c)
			}
		default:
			res.Failed++
		}
	}
	res.Bucket = a.bucket(in.Shop)
	return res, nil
}

// BackfillProgressInput is a backfill's state, for its metrics.
type BackfillProgressInput struct {
	Kind, Shop, Backfill string
	Done, Total          int
	Running              bool
}

// ReportBackfillProgress sets the backfill's gauges: the workflow calls it
// when it pauses, resumes or ends, which no batch would report.
func (a *Backfill) ReportBackfillProgress(_ context.Context, in BackfillProgressInput) error {
	a.metrics.progress(in, time.Now())
	return nil
}

// One shop's budget across worker processes: a backfill's batches run one
// at a time, but each may run in another process, whose model of the
// shop's bucket is stale (it last saw the bucket batches ago) and would
// spend points the others already spent. So the bucket travels with the
// batches: each batch returns the model it ended with, the workflow hands
// it to the next, and that batch seeds its process's model with it
// (admin.Client.Seed lowers, never raises, a model).

// seed seeds the shop's backfill client with what the previous batch saw.
func (a *Backfill) seed(shop string, s *admin.BucketState) {
	if s == nil || a.Shopify == nil {
		return
	}
	if c, err := a.Shopify.ForBackfill(shop); err == nil {
		c.Seed(*s)
	}
}

// bucket is the shop's bucket as this process models it now.
func (a *Backfill) bucket(shop string) *admin.BucketState {
	if a.Shopify == nil {
		return nil
	}
	c, err := a.Shopify.ForBackfill(shop)
	if err != nil {
		return nil
	}
	if s, ok := c.BucketState(); ok {
		return &s
	}
	return nil
}

// keepAlive heartbeats every few seconds until stop is called, so that a
// batch waiting long for the Shopify budget is not taken for a dead
// worker, while a killed worker is noticed within the heartbeat timeout.
func keepAlive(ctx context.Context) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				recordProgress(ctx, nil)
			}
		}
	}()
	return func() { close(done) }
}

// heartbeat tells Temporal the activity is alive, so that a worker that
// dies is noticed within the heartbeat timeout rather than the attempt's.
func heartbeat(ctx context.Context) {
	if activity.IsActivity(ctx) {
		recordProgress(ctx, nil)
	}
}

func attempt(ctx context.Context) int32 {
	if activity.IsActivity(ctx) {
		return activity.GetInfo(ctx).Attempt
	}
	return 1
}
