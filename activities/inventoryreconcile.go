package activities

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// Drift fields: what differs about an item.
const (
	// DriftAvailable: both sides have the item at the location, with
	// quantities further apart than the tolerance.
	DriftAvailable = "available"
	// DriftMissingInERP: Shopify stocks the item at the location, the ERP
	// has no record of it.
	DriftMissingInERP = "missing_in_erp"
	// DriftMissingInShopify: the ERP has a record Shopify does not stock.
	DriftMissingInShopify = "missing_in_shopify"
)

// InventoryDrift is one SKU at one location whose stock differs.
type InventoryDrift struct {
	SKU         string
	ERPLocation string
	// InventoryItemID and LocationID are Shopify's GIDs; empty when
	// Shopify does not stock the SKU there.
	InventoryItemID string `json:",omitempty"`
	LocationID      string `json:",omitempty"`
	Field           string
	Shopify         int
	ERP             int
	// ShopifyUpdatedAt and ERPUpdatedAt are when each side last changed.
	ShopifyUpdatedAt time.Time `json:",omitzero"`
	ERPUpdatedAt     time.Time `json:",omitzero"`
	// ERPVersion is the version of the ERP's record.
	ERPVersion time.Time `json:",omitzero"`
}

// FindInventoryDriftInput asks for the next page of drift of one
// reconciliation run.
type FindInventoryDriftInput struct {
	Shop  string
	Rules InventoryRules
	// AsOf is the run's start: the grace window is measured back from it,
	// so that every attempt of the run decides alike.
	AsOf time.Time
	// FromSKU is where this page starts: "" for the first, else the
	// previous page's Next.
	FromSKU string
	// MaxDrifts bounds the drifts one page returns (a whole range more at
	// most), to keep them small in workflow history.
	MaxDrifts int
	// Run names the run: its pages share one read of Shopify's side when
	// they run on the same worker.
	Run string
	// BulkOperationID, if set, is a completed bulk operation of
	// InventorySnapshotBulkQuery to read Shopify's side from; else it is
	// paged.
	BulkOperationID string
}

// InventoryDriftPage is what one page of a comparison found.
type InventoryDriftPage struct {
	// Compared counts the SKU and location pairs compared, on either side.
	Compared int
	// Skipped counts Shopify levels not reconciled: untracked, without
	// SKU, at unmapped locations, or sharing a SKU.
	Skipped int
	// RangesCompared and RangesDiffering count checksum comparisons.
	RangesCompared, RangesDiffering int
	// ERPRecordsRead counts the records read from the ERP's export:
	// what differing checksums cost.
	ERPRecordsRead int
	// DriftByField counts drift beyond tolerance, by field.
	DriftByField map[string]int
	// WithinTolerance counts differences too small to be drift.
	WithinTolerance int
	// Drifts are the items to correct.
	Drifts []InventoryDrift
	// Deferred are drifted items changed within the grace window.
	Deferred []InventoryDrift
	// Uncorrectable are drifted items no correction in the direction of
	// truth can settle (an item Shopify does not stock, an ERP truth
	// without a record).
	Uncorrectable []InventoryDrift
	// Next is where the next page starts; "" when the comparison is done.
	Next string
}

// Shape of the comparison: the first ranges hold about rangeRecords of
// Shopify's levels; a differing range is split until it holds at most
// leafRecords on both sides, then its ERP records are exported and
// compared one by one.
const (
	rangeRecords   = 1000
	leafRecords    = 32
	checksumsBatch = 200
	exportPage     = erp.MaxExportLimit
)

// findProgress is FindInventoryDrift's heartbeat.
type findProgress struct {
	Phase   string
	Items   int
	Ranges  int
	Drifted int
}

// FindInventoryDrift compares Shopify's stock with the ERP's from
// in.FromSKU on: it reads Shopify's side whole (a bulk operation's file or
// every page), compares it with the ERP by checksums over SKU ranges,
// splitting differing ranges, and compares item by item only the small
// ranges that still differ. It returns after about in.MaxDrifts drifts,
// with where the next page starts. It changes nothing.
func (a *Inventory) FindInventoryDrift(ctx context.Context, in FindInventoryDriftInput) (InventoryDriftPage, error) {
	hb := startHeartbeat(ctx)
	defer hb.stop()
	c, err := a.Shopify.For(in.Shop)
	if err != nil {
		return InventoryDriftPage{}, temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	cacheKey := in.Shop + "\x00" + in.Run + "\x00" + in.AsOf.String() + "\x00" + in.BulkOperationID
	snap, cached := lastSnapshot.get(cacheKey)
	switch {
	case cached:
	case in.BulkOperationID != "":
		op, opErr := admin.GetBulkOperation(ctx, c, in.BulkOperationID)
		if opErr != nil {
			return InventoryDriftPage{}, a.Retry.classify(ctx, opErr)
		}
		if op == nil || op.Status != admin.BulkOperationStatusCompleted {
			return InventoryDriftPage{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("bulk operation %s is not completed", in.BulkOperationID), FailureDownstreamRejected, nil)
		}
		if op.Url != "" {
			snap, err = a.readBulk(ctx, op.Url, in.Shop, func(n int) { hb.set(findProgress{Phase: "reading bulk result", Items: n}) })
		}
	default:
		snap, err = a.readPaged(ctx, c, in.Shop, func(n int) { hb.set(findProgress{Phase: "reading pages", Items: n}) })
	}
	if err != nil {
		return InventoryDriftPage{}, a.Retry.classify(ctx, err)
	}
	if in.Run != "" {
		lastSnapshot.put(cacheKey, snap)
	}
	page := comparison{a: a, in: in, snap: snap, hb: hb, page: InventoryDriftPage{DriftByField: map[string]int{}, Skipped: snap.skipped}}
	if err := page.run(ctx); err != nil {
		return InventoryDriftPage{}, a.Retry.classify(ctx, err)
	}
	return page.page, nil
}

// comparison is one page of FindInventoryDrift.
type comparison struct {
	a    *Inventory
	in   FindInventoryDriftInput
	snap snapshot
	hb   *progressBeat
	page InventoryDriftPage
	// done holds the results of the ranges compared, in any order; only
	// those before the first range left undone make the page.
	done []rangeResult
}

type rangeResult struct {
	r                           erp.SKURange
	compared, ranges, differing int
	exported, withinTolerance   int
	drifts                      []InventoryDrift
}

func (c *comparison) run(ctx context.Context) error {
	queue := c.initialRanges()
	drifted := 0
	for len(queue) > 0 {
		// A leaf range yields up to leafRecords drifts or so: ask for no
		// more ranges than the page has room for, so that pages stay
		// near MaxDrifts.
		room := (c.in.MaxDrifts - drifted + leafRecords - 1) / leafRecords
		batch := queue[:min(checksumsBatch, max(1, room), len(queue))]
		queue = queue[len(batch):]
		sums, err := c.a.ERP.StockChecksums(ctx, c.snap.locations, batch)
		if err != nil {
			return err
		}
		if len(sums) != len(batch) {
			return fmt.Errorf("erp: asked for %d checksums, got %d", len(batch), len(sums))
		}
		var split []erp.SKURange
		for i, r := range batch {
			lo, hi := c.snap.inRange(r.From, r.To)
			local := c.checksum(lo, hi, r)
			res := rangeResult{r: r, ranges: 1}
			switch {
			case local.Count == sums[i].Count && local.Checksum == sums[i].Checksum:
				res.compared = local.Count
			case max(local.Count, sums[i].Count) > leafRecords && c.splittable(lo, hi):
				split = append(split, c.halves(lo, hi, r)...)
				c.done = append(c.done, rangeResult{r: erp.SKURange{From: r.From, To: r.From}, ranges: 1, differing: 1})
				continue
			default:
				res.differing = 1
				if err := c.compareItems(ctx, r, lo, hi, &res); err != nil {
					return err
				}
			}
			c.done = append(c.done, res)
			drifted += len(res.drifts)
		}
		queue = append(split, queue...)
		c.hb.set(findProgress{Phase: "comparing", Items: len(c.snap.levels), Ranges: len(c.done), Drifted: drifted})
		if drifted >= c.in.MaxDrifts && len(queue) > 0 && c.allBefore(queue[0].From) {
			c.finish(queue[0].From)
			return nil
		}
	}
	c.finish("")
	return nil
}

// initialRanges cuts the SKU space from FromSKU on into ranges of about
// rangeRecords Shopify levels, cut between SKUs; the first and last are
// open so that ERP records before or after every Shopify SKU are compared
// too.
func (c *comparison) initialRanges() []erp.SKURange {
	lo, _ := c.snap.inRange(c.in.FromSKU, "")
	var out []erp.SKURange
	start, n := c.in.FromSKU, 0
	for i := lo; i < len(c.snap.levels); i++ {
		if n >= rangeRecords && c.snap.levels[i].sku != c.snap.levels[i-1].sku {
			out = append(out, erp.SKURange{From: start, To: c.snap.levels[i].sku})
			start, n = c.snap.levels[i].sku, 0
		}
		n++
	}
	return append(out, erp.SKURange{From: start, To: ""})
}

func (c *comparison) checksum(lo, hi int, r erp.SKURange) erp.RangeChecksum {
	h := erp.NewStockHasher()
	for _, l := range c.snap.levels[lo:hi] {
		h.Add(l.sku, l.erpLocation, l.available)
	}
	return h.Sum(r)
}

// splittable reports whether Shopify's side of a range holds two SKUs at
// least, so that a cut between them halves it.
func (c *comparison) splittable(lo, hi int) bool {
	return hi-lo >= 2 && c.snap.levels[lo].sku != c.snap.levels[hi-1].sku
}

// halves cuts a range at the SKU in the middle of Shopify's side.
func (c *comparison) halves(lo, hi int, r erp.SKURange) []erp.SKURange {
	mid := (lo + hi) / 2
	for mid > lo && c.snap.levels[mid].sku == c.snap.levels[lo].sku {
		mid++
	}
	cut := c.snap.levels[mid].sku
	return []erp.SKURange{{From: r.From, To: cut}, {From: cut, To: r.To}}
}

// allBefore reports whether every range compared so far lies before sku.
func (c *comparison) allBefore(sku string) bool {
	for _, d := range c.done {
		if d.r.From >= sku {
			return false
		}
	}
	return true
}

// finish builds the page from the ranges done before next ("" for all).
func (c *comparison) finish(next string) {
	slices.SortStableFunc(c.done, func(x, y rangeResult) int { return strings.Compare(x.r.From, y.r.From) })
	p := &c.page
	for _, d := range c.done {
		if next != "" && d.r.From >= next {
			continue
		}
		p.Compared += d.compared
		p.RangesCompared += d.ranges
		p.RangesDiffering += d.differing
		p.ERPRecordsRead += d.exported
		p.WithinTolerance += d.withinTolerance
		for _, dr := range d.drifts {
			p.DriftByField[dr.Field]++
			switch {
			case c.in.Rules.recent(dr.ShopifyUpdatedAt, c.in.AsOf) || c.in.Rules.recent(dr.ERPUpdatedAt, c.in.AsOf):
				p.Deferred = append(p.Deferred, dr)
			case !correctable(dr, c.in.Rules.Truth):
				p.Uncorrectable = append(p.Uncorrectable, dr)
			default:
				p.Drifts = append(p.Drifts, dr)
			}
		}
	}
	p.Next = next
}

// correctable reports whether a correction in the direction of truth can
// settle the drift.
func correctable(d InventoryDrift, truth Truth) bool {
	switch d.Field {
	case DriftAvailable:
		return true
	case DriftMissingInERP:
		return truth == TruthShopify
	}
	return false
}

// compareItems exports the ERP's records of a range and compares them with
// Shopify's levels [lo, hi) one by one.
func (c *comparison) compareItems(ctx context.Context, r erp.SKURange, lo, hi int, res *rangeResult) error {
	var records []erp.StockRecord
	q := erp.StockExportQuery{From: r.From, To: r.To, Locations: c.snap.locations, Limit: exportPage}
	for {
		page, err := c.a.ERP.ExportStock(ctx, q)
		if err != nil {
			return err
		}
		records = append(records, page.Records...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	res.exported = len(records)
	shop := c.snap.levels[lo:hi]
	i, j := 0, 0
	for i < len(shop) || j < len(records) {
		var s *shopifyLevel
		var e *erp.StockRecord
		switch {
		case j == len(records):
			s = &shop[i]
		case i == len(shop):
			e = &records[j]
		default:
			switch k := compareKeys(shop[i].sku, shop[i].erpLocation, records[j].SKU, records[j].Location); {
			case k < 0:
				s = &shop[i]
			case k > 0:
				e = &records[j]
			default:
				s, e = &shop[i], &records[j]
			}
		}
		if s != nil {
			i++
		}
		if e != nil {
			j++
		}
		res.compared++
		d, drifted, within := c.decide(s, e)
		if within {
			res.withinTolerance++
		}
		if drifted {
			res.drifts = append(res.drifts, d)
		}
	}
	return nil
}

func compareKeys(sku1, loc1, sku2, loc2 string) int {
	return cmp.Or(strings.Compare(sku1, sku2), strings.Compare(loc1, loc2))
}

// decide compares one SKU and location: whether it drifted, or differs
// within tolerance.
func (c *comparison) decide(s *shopifyLevel, e *erp.StockRecord) (d InventoryDrift, drifted, within bool) {
	if s != nil {
		d.SKU, d.ERPLocation, d.InventoryItemID, d.LocationID = s.sku, s.erpLocation, s.itemID, s.locationID
		d.Shopify, d.ShopifyUpdatedAt = s.available, s.updatedAt
	}
	if e != nil {
		d.SKU, d.ERPLocation = e.SKU, e.Location
		d.ERP, d.ERPUpdatedAt, d.ERPVersion = e.Available, e.UpdatedAt, e.Version
	}
	switch {
	case e == nil:
		d.Field = DriftMissingInERP
		return d, true, false
	case s == nil:
		d.Field = DriftMissingInShopify
		return d, true, false
	case s.available == e.Available:
		return d, false, false
	}
	truth, other := d.ERP, d.Shopify
	if c.in.Rules.Truth == TruthShopify {
		truth, other = other, truth
	}
	if c.in.Rules.Tolerance.Within(truth, other) {
		return d, false, true
	}
	d.Field = DriftAvailable
	return d, true, false
}

// progressBeat records an activity's latest progress in the background, so
// that a worker that dies is noticed within the heartbeat timeout and the
// next attempt can see how far the last one got, even while one call
// (a page, a wait for the bucket) takes long.
type progressBeat struct {
	ctx    context.Context
	latest chan any
	done   chan struct{}
}

func startHeartbeat(ctx context.Context) *progressBeat {
	h := &progressBeat{ctx: ctx, latest: make(chan any, 1), done: make(chan struct{})}
	if !activity.IsActivity(ctx) {
		close(h.done)
		return h
	}
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		var last any
		for {
			select {
			case <-h.done:
				return
			case <-ctx.Done():
				return
			case last = <-h.latest:
			case <-t.C:
			}
			recordProgress(ctx, last)
		}
	}()
	return h
}

// set replaces the progress reported.
func (h *progressBeat) set(p any) {
	select {
	case <-h.done:
		return
	default:
	}
	select {
	case <-h.latest:
	default:
	}
	select {
	case h.latest <- p:
	default:
	}
}

func (h *progressBeat) stop() {
	select {
	case <-h.done:
	default:
		close(h.done)
	}
}

// lastSnapshot keeps the last read of Shopify's side in the worker, so
// that the next page of the same run, if it lands here, compares against
// it instead of reading the shop again: pages of a run are taken as of
// one read, as a bulk query's are, and corrections re-check what they
// change (changeFromQuantity, versions). A page on another worker reads
// again.
var lastSnapshot snapshotCache

type snapshotCache struct {
	mu   sync.Mutex
	key  string
	snap snapshot
}

func (c *snapshotCache) get(key string) (snapshot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap, c.key == key && key != ""
}

func (c *snapshotCache) put(key string, s snapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.key, c.snap = key, s
}
