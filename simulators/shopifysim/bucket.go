package shopifysim

import (
	"sync"
	"time"
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

// throttleStatus is the bucket state reported in extensions.cost.
type throttleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
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

func (b *bucket) status() throttleStatus {
	return throttleStatus{MaximumAvailable: b.maximum, CurrentlyAvailable: float64(int64(b.available)), RestoreRate: b.restoreRate}
}

// take deducts cost if the bucket holds that many points and reports
// whether it did.
func (b *bucket) take(cost float64, now time.Time) (bool, throttleStatus) {
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
func (b *bucket) refund(points float64, now time.Time) throttleStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if points > 0 {
		b.available = min(b.maximum, b.available+points)
	}
	return b.status()
}

// peek returns the state without changing it (beyond the refill).
func (b *bucket) peek(now time.Time) throttleStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	return b.status()
}
