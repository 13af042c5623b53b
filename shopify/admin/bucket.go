package admin

import (
	"context"
	"math"
	"sync"
	"time"
)

// throttleStatus is extensions.cost.throttleStatus of a response.
type throttleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
}

// queryCost is extensions.cost of a response. ActualQueryCost is nil when
// the query was not run (throttled).
type queryCost struct {
	RequestedQueryCost float64         `json:"requestedQueryCost"`
	ActualQueryCost    *float64        `json:"actualQueryCost"`
	ThrottleStatus     *throttleStatus `json:"throttleStatus"`
}

// bucket is the local model of one shop's leaky bucket, shared by every
// request to that shop in the process.
//
// The model is our own accounting: each request reserves its expected
// cost before it is sent and gets back expected − actual when it returns,
// and the bucket refills at restoreRate in between. For a single consumer
// this is exact, so the model is never above what Shopify holds and a
// request is only sent when Shopify can take it. Shopify's reported
// currentlyAvailable is used to correct the model downwards only (another
// consumer of the same bucket, or a charge we did not know of), because
// with requests in flight a report may or may not include their charges.
// A report is taken as is, upwards too, when its request had the bucket to
// itself (nothing else in flight while it ran), as the first request does.
type bucket struct {
	now func() time.Time

	// turn admits one waiter at a time; blocked senders on a channel are
	// queued in order, so waiting requests are served first come first
	// served and a large query is not starved by small ones.
	turn chan struct{}

	mu        sync.Mutex
	known     bool // a throttleStatus has been seen
	probing   bool // a request is out to learn the bucket
	probeDone chan struct{}
	max, rate float64
	level     float64       // points available at time at
	at        time.Time     // when level was computed
	inflightN int           // requests reserved and not yet returned
	sends     uint64        // reservations ever made
	changed   chan struct{} // closed and replaced whenever level rises
	costs     map[string]float64
	stats     *shopStats
}

func newBucket(now func() time.Time) *bucket {
	return &bucket{
		now:       now,
		turn:      make(chan struct{}, 1),
		probeDone: make(chan struct{}),
		changed:   make(chan struct{}),
		costs:     make(map[string]float64),
		stats:     &shopStats{},
	}
}

// reservation is what one request holds while it is in flight.
type reservation struct {
	cost  float64
	probe bool
	alone bool   // nothing else was in flight when it was sent
	seq   uint64 // b.sends right after this reservation
}

// restoreLocked brings level up to now.
func (b *bucket) restoreLocked(now time.Time) {
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.level = math.Min(b.max, b.level+dt*b.rate)
	}
	b.at = now
}

// learnedCost returns the requestedQueryCost seen for key, if any.
func (b *bucket) learnedCost(key string) (float64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.costs[key]
	return c, ok
}

func (b *bucket) learn(key string, requested float64) {
	if requested <= 0 {
		return
	}
	b.mu.Lock()
	b.costs[key] = requested
	b.mu.Unlock()
}

// acquire waits until the model holds cost() points and reserves them.
// cost is asked again after each wait, since a response that came in
// meanwhile may have taught the operation's real cost. Until the bucket is
// known, one request at a time goes out as a probe. With reserve > 0 (a
// share of the bucket's maximum, see Budget) it waits until the bucket
// would keep that share after the request; it waits outside the turn, so
// that requests without a reserve are not held up behind it.
func (b *bucket) acquire(ctx context.Context, cost func() float64, reserve float64) (*reservation, time.Duration, error) {
	start := b.now()
	for {
		if reserve > 0 {
			if err := b.awaitAbove(ctx, cost, reserve); err != nil {
				return nil, b.now().Sub(start), err
			}
		}
		r, err := b.acquireTurn(ctx, cost, reserve)
		if err == errBelowReserve {
			continue
		}
		return r, b.now().Sub(start), err
	}
}

// acquireTurn is acquire within the turn; with a reserve it gives the
// turn back (errBelowReserve) rather than wait in it.
func (b *bucket) acquireTurn(ctx context.Context, cost func() float64, reserve float64) (*reservation, error) {
	select {
	case b.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-b.turn }()

	for {
		b.mu.Lock()
		if !b.known {
			if !b.probing {
				b.probing = true
				b.mu.Unlock()
				c := cost()
				b.mu.Lock()
				r := b.reserveLocked(c, true)
				b.mu.Unlock()
				return r, nil
			}
			done := b.probeDone
			b.mu.Unlock()
			select {
			case <-done:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		b.mu.Unlock()
		c := cost()
		b.mu.Lock()
		now := b.now()
		b.restoreLocked(now)
		need := math.Min(c, b.max)
		if b.level >= b.threshold(need, reserve) {
			b.level -= need
			r := b.reserveLocked(need, false)
			b.mu.Unlock()
			return r, nil
		}
		if reserve > 0 {
			b.mu.Unlock()
			return nil, errBelowReserve
		}
		wait := time.Duration((need - b.level) / b.rate * float64(time.Second))
		changed := b.changed
		b.mu.Unlock()

		if err := sleepOrChange(ctx, wait, changed); err != nil {
			return nil, err
		}
	}
}

func (b *bucket) reserveLocked(cost float64, probe bool) *reservation {
	alone := b.inflightN == 0
	b.inflightN++
	b.sends++
	return &reservation{cost: cost, probe: probe, alone: alone, seq: b.sends}
}

// release returns a reservation. qc is the response's cost report, nil if
// there was none (network error, HTTP error): the reservation is then
// refunded whole, and a later report corrects the model if Shopify did
// charge it.
func (b *bucket) release(r *reservation, qc *queryCost) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inflightN--
	now := b.now()
	before := b.level
	var ts *throttleStatus
	if qc != nil {
		ts = qc.ThrottleStatus
	}
	switch {
	case ts == nil || ts.RestoreRate <= 0 || ts.MaximumAvailable <= 0:
		if b.known && !r.probe {
			b.restoreLocked(now)
			b.level = math.Min(b.max, b.level+r.cost)
		}
	case !b.known || r.probe:
		b.known = true
		b.max, b.rate = ts.MaximumAvailable, ts.RestoreRate
		b.level, b.at = ts.CurrentlyAvailable, now
		before = math.Inf(-1)
	default:
		b.restoreLocked(now)
		actual := 0.0
		if qc.ActualQueryCost != nil {
			actual = *qc.ActualQueryCost
		}
		b.max, b.rate = ts.MaximumAvailable, ts.RestoreRate
		local := b.level + r.cost - actual
		exclusive := r.alone && r.seq == b.sends
		if exclusive {
			b.level = ts.CurrentlyAvailable
		} else {
			b.level = math.Min(local, ts.CurrentlyAvailable)
		}
		b.level = math.Min(b.level, b.max)
	}
	if r.probe {
		b.probing = false
		close(b.probeDone)
		b.probeDone = make(chan struct{})
	}
	if b.level > before {
		close(b.changed)
		b.changed = make(chan struct{})
	}
}

// snapshot returns the model's level now and the bucket's size and rate.
func (b *bucket) snapshot() (level, max, rate float64, known bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.known {
		b.restoreLocked(b.now())
	}
	return b.level, b.max, b.rate, b.known
}
