package shopifysim

import (
	"sync"
	"time"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// bucket is Shopify's leaky bucket of query cost points for one shop and
// app: a request takes its requested cost up front, gets the difference to
// its actual cost back afterwards, and the bucket refills continuously at
// restoreRate points per second up to maximum.
type bucket struct {
	mu          sync.Mutex
	maximum     float64
	restoreRate float64
	available   float64
	last        time.Time
}

func newBucket(maximum, restoreRate float64, now time.Time) *bucket {
	return &bucket{maximum: maximum, restoreRate: restoreRate, available: maximum, last: now}
}

// refill restores points for the time elapsed since the last look.
// Callers hold mu.
func (b *bucket) refill(now time.Time) {
	if d := now.Sub(b.last); d > 0 {
		b.available = min(b.maximum, b.available+d.Seconds()*b.restoreRate)
		b.last = now
	}
}

// status is the bucket state reported in extensions.cost.
func (b *bucket) status() gql.ThrottleStatus {
	return gql.ThrottleStatus{MaximumAvailable: b.maximum, CurrentlyAvailable: float64(int64(b.available)), RestoreRate: b.restoreRate}
}

// take deducts cost if the bucket holds that many points and reports
// whether it did.
func (b *bucket) take(cost float64, now time.Time) (bool, gql.ThrottleStatus) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if cost > b.available {
		return false, b.status()
	}
	b.available -= cost
	return true, b.status()
}

// refund gives back points a request was charged but did not use.
func (b *bucket) refund(points float64, now time.Time) gql.ThrottleStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if points > 0 {
		b.available = min(b.maximum, b.available+points)
	}
	return b.status()
}

// peek returns the state without changing it (beyond the refill).
func (b *bucket) peek(now time.Time) gql.ThrottleStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	return b.status()
}
