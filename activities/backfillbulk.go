package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/shopify/admin"
)

// A kind may read the side written to by a bulk query, which costs almost
// none of Shopify's bucket, so that the budget goes to the writes: the
// workflow starts the query once (StartBackfillBulkRead), waits for it in
// a BulkOperationWait child, and hands each batch the operation's ID. The
// batch reads its items from the operation's JSONL file, parsed once per
// worker process (bulkSnapshots) and never passed through the workflow.
// The file is the side's state when the backfill started; a batch that is
// redone reads its items afresh (Current), so that a rerun writes only what
// is still missing.

// BackfillBulkKind is a BackfillKind that can read by bulk query.
type BackfillBulkKind interface {
	BackfillKind
	// StartBulkRead starts the bulk query of the items matching filter and
	// returns the operation's ID.
	StartBulkRead(ctx context.Context, shop, filter string) (string, error)
	// ReadBulk returns the completed operation's items with the fields
	// each holds (Want is filled in later, a batch at a time, by WantFor).
	ReadBulk(ctx context.Context, shop, operation string) ([]BackfillItem, error)
	// WantFor fills in Want, from the source of truth, of items.
	WantFor(ctx context.Context, items []BackfillItem) error
}

// StartBackfillBulkInput asks for a bulk read of a backfill's items.
type StartBackfillBulkInput struct {
	Kind, Shop, Filter string
}

// StartBackfillBulkRead starts the bulk read of a backfill's items and
// returns the operation's ID; "" if the kind reads only by pages.
func (a *Backfill) StartBackfillBulkRead(ctx context.Context, in StartBackfillBulkInput) (string, error) {
	k, err := a.kind(in.Kind)
	if err != nil {
		return "", err
	}
	bk, ok := k.(BackfillBulkKind)
	if !ok {
		return "", nil
	}
	op, err := bk.StartBulkRead(ctx, in.Shop, in.Filter)
	if admin.HasUserErrorCode(err, "OPERATION_IN_PROGRESS") || admin.HasUserErrorCode(err, "LIMIT_REACHED") {
		// Shopify runs a few bulk queries of a shop at once: retry until
		// one ends.
		return "", a.Retry.retryable(attempt(ctx), 0, err, nil)
	}
	if err != nil {
		return "", a.Retry.classify(ctx, err)
	}
	return op, nil
}

// readBulkBatch is Read for a batch of a bulk backfill: the items after
// cursor (an item ID, "" for the start) in the operation's order, with
// what the source wants. A redone attempt reads the items' fields afresh.
func (a *Backfill) readBulkBatch(ctx context.Context, k BackfillKind, in BackfillBatchInput) (BackfillPage, error) {
	bk, ok := k.(BackfillBulkKind)
	if !ok {
		return BackfillPage{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("backfill kind %q cannot read by bulk query", in.Kind), FailureInvalidPayload, nil)
	}
	all, err := a.bulk.get(ctx, in.BulkOperation, func() ([]BackfillItem, error) { return bk.ReadBulk(ctx, in.Shop, in.BulkOperation) })
	if err != nil {
		return BackfillPage{}, err
	}
	page := bulkPage(all, in.Cursor, in.Limit)
	if attempt(ctx) > 1 && len(page.Items) > 0 {
		ids := make([]string, len(page.Items))
		for i, it := range page.Items {
			ids[i] = it.ID
		}
		cur, err := k.Current(ctx, in.Shop, ids)
		if err != nil {
			return BackfillPage{}, err
		}
		for i := range page.Items {
			page.Items[i].Current = cur[page.Items[i].ID]
		}
	}
	if err := bk.WantFor(ctx, page.Items); err != nil {
		return BackfillPage{}, err
	}
	return page, nil
}

// bulkPage returns up to limit items of all (sorted by ID) after the ID
// cursor, as copies the batch may fill in.
func bulkPage(all []BackfillItem, cursor string, limit int) BackfillPage {
	start := 0
	if cursor != "" {
		i, found := slices.BinarySearchFunc(all, cursor, func(it BackfillItem, id string) int { return strings.Compare(it.ID, id) })
		start = i
		if found {
			start++
		}
	}
	end := min(len(all), start+max(1, limit))
	items := make([]BackfillItem, 0, end-start)
	for _, it := range all[start:end] {
		cur := make(Fields, len(it.Current))
		for n, v := range it.Current {
			cur[n] = v
		}
		items = append(items, BackfillItem{ID: it.ID, Current: cur, Want: Fields{}})
	}
	p := BackfillPage{Items: items, More: end < len(all)}
	if len(items) > 0 {
		p.Next = items[len(items)-1].ID
	}
	return p
}

// bulkSnapshots keeps the parsed results of the last few bulk operations
// of this process: a result never changes, and the batches of one backfill
// would otherwise each download and parse the whole file.
type bulkSnapshots struct {
	mu    sync.Mutex
	order []string
	byOp  map[string]*bulkSnapshot
}

// bulkSnapshot is one operation's parsed result, ready once done is
// closed; a failed read is forgotten, for the retry to try again.
type bulkSnapshot struct {
	done  chan struct{}
	items []BackfillItem
	err   error
}

// maxBulkSnapshots bounds the results kept: about one per backfill
// running in this process.
const maxBulkSnapshots = 4

// get returns op's items sorted by ID, reading them with read once: a
// batch asking while another reads waits for that read, and other
// operations' batches are not held up by it.
func (s *bulkSnapshots) get(ctx context.Context, op string, read func() ([]BackfillItem, error)) ([]BackfillItem, error) {
	s.mu.Lock()
	snap, ok := s.byOp[op]
	if !ok {
		snap = &bulkSnapshot{done: make(chan struct{})}
		if s.byOp == nil {
			s.byOp = map[string]*bulkSnapshot{}
		}
		if len(s.order) == maxBulkSnapshots {
			delete(s.byOp, s.order[0])
			s.order = s.order[1:]
		}
		s.order = append(s.order, op)
		s.byOp[op] = snap
	}
	s.mu.Unlock()
	if ok {
		select {
		case <-snap.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if snap.err != nil {
			return nil, snap.err
		}
		return snap.items, nil
	}
	snap.items, snap.err = read()
	if snap.err == nil {
		slices.SortFunc(snap.items, func(x, y BackfillItem) int { return strings.Compare(x.ID, y.ID) })
	} else {
		s.forget(op, snap)
	}
	close(snap.done)
	return snap.items, snap.err
}

// forget drops op's snapshot if it is still snap.
func (s *bulkSnapshots) forget(op string, snap *bulkSnapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byOp[op] == snap {
		delete(s.byOp, op)
		s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == op })
	}
}
