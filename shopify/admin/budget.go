package admin

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/shopflow/shopflow/internal/ctxsleep"
)

// Budget limits what one Client takes of its shop's bucket, which it
// shares with every other Client of the shop in the process: work that
// must leave headroom for real-time work (a backfill) gets a Client of its
// own with a Budget. The zero Budget takes the whole bucket.
type Budget struct {
	// MaxRate caps the points a second the Client spends; 0 means no cap.
	MaxRate float64
	// Reserve is the share of the bucket's maximum, in [0, 1), that the
	// Client never takes: it sends only when the bucket keeps that much
	// after the request. Other Clients of the shop may spend it.
	Reserve float64
}

// Validate reports what is wrong with b.
func (b Budget) Validate() error {
	if b.MaxRate < 0 || math.IsNaN(b.MaxRate) || math.IsInf(b.MaxRate, 0) {
		return fmt.Errorf("admin: Budget.MaxRate must be a non-negative number of points a second")
	}
	if b.Reserve < 0 || b.Reserve >= 1 || math.IsNaN(b.Reserve) {
		return fmt.Errorf("admin: Budget.Reserve must be in [0, 1)")
	}
	return nil
}

// errBelowReserve makes acquire wait outside the turn.
var errBelowReserve = errors.New("admin: bucket below the reserve")

// threshold is the level a request of need points waits for: need plus
// the reserved share of the maximum, but never more than the maximum, so
// that every request can go out eventually.
func (b *bucket) threshold(need, reserve float64) float64 {
	return math.Min(b.max, need+reserve*b.max)
}

// awaitAbove waits, without the turn, until the model would hold cost()
// plus the reserve; it returns at once while the bucket is unknown, as
// the probe then decides.
func (b *bucket) awaitAbove(ctx context.Context, cost func() float64, reserve float64) error {
	for {
		c := cost()
		b.mu.Lock()
		if !b.known {
			b.mu.Unlock()
			return nil
		}
		b.restoreLocked(b.now())
		want := b.threshold(math.Min(c, b.max), reserve)
		if b.level >= want {
			b.mu.Unlock()
			return nil
		}
		wait := time.Duration((want - b.level) / b.rate * float64(time.Second))
		changed := b.changed
		b.mu.Unlock()
		if err := sleepOrChange(ctx, wait, changed); err != nil {
			return err
		}
	}
}

// sleepOrChange waits d, or until changed is closed (the bucket's level
// rose), or until ctx ends, which it returns.
func sleepOrChange(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-changed:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// spendCap is a Client's Budget.MaxRate: a token bucket of one second's
// points, charged with each request's expected cost before it is sent and
// corrected by its actual cost after.
type spendCap struct {
	now   func() time.Time
	mu    sync.Mutex
	rate  float64
	level float64
	at    time.Time
}

func newSpendCap(rate float64, now func() time.Time) *spendCap {
	if rate <= 0 {
		return nil
	}
	return &spendCap{now: now, rate: rate, level: rate, at: now()}
}

// wait waits until the cap allows cost points and charges them; a request
// dearer than a second's points waits for a full second's worth.
func (c *spendCap) wait(ctx context.Context, cost float64) (time.Duration, error) {
	if c == nil {
		return 0, nil
	}
	start := c.now()
	for {
		c.mu.Lock()
		now := c.now()
		c.level = math.Min(c.rate, c.level+now.Sub(c.at).Seconds()*c.rate)
		c.at = now
		need := math.Min(cost, c.rate)
		if c.level >= need {
			c.level -= cost
			c.mu.Unlock()
			return c.now().Sub(start), nil
		}
		wait := time.Duration((need - c.level) / c.rate * float64(time.Second))
		c.mu.Unlock()
		if err := ctxsleep.Sleep(ctx, wait); err != nil {
			return c.now().Sub(start), err
		}
	}
}

// settle corrects the charge of a request that cost actual, not expected.
func (c *spendCap) settle(expected, actual float64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.level = math.Min(c.rate, c.level+expected-actual)
	c.mu.Unlock()
}

// BucketState is a shop's bucket as a process last knew it: what another
// process taking over the shop's work starts from (Client.Seed), so that
// it does not begin by spending points the bucket no longer holds.
type BucketState struct {
	Available, Maximum, RestoreRate float64
	At                              time.Time
}

// BucketState returns the model of the shop's bucket now; ok is false
// until Shopify has reported it.
func (c *Client) BucketState() (BucketState, bool) {
	b := c.bucket
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.known {
		return BucketState{}, false
	}
	now := b.now()
	b.restoreLocked(now)
	return BucketState{Available: b.level, Maximum: b.max, RestoreRate: b.rate, At: now}, true
}

// Seed tells the model what another process knew of the bucket at s.At:
// an unknown bucket takes it as known, a known one is lowered to it
// (restored to now) if that is less, never raised, since the model must
// never be above what Shopify holds.
func (c *Client) Seed(s BucketState) {
	if s.Maximum <= 0 || s.RestoreRate <= 0 || s.At.IsZero() {
		return
	}
	b := c.bucket
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	seeded := math.Min(s.Maximum, s.Available+math.Max(0, now.Sub(s.At).Seconds())*s.RestoreRate)
	if !b.known {
		if b.probing {
			return // the probe's report will be fresher
		}
		b.known = true
		b.max, b.rate, b.level, b.at = s.Maximum, s.RestoreRate, seeded, now
		close(b.probeDone)
		b.probeDone = make(chan struct{})
		return
	}
	b.restoreLocked(now)
	b.level = math.Min(b.level, seeded)
}

// actualCost is what a response says was charged; 0 without a report.
func actualCost(qc *queryCost) float64 {
	if qc == nil || qc.ActualQueryCost == nil {
		return 0
	}
	return *qc.ActualQueryCost
}
