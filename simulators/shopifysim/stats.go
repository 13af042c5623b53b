package shopifysim

import (
	"maps"
	"sync"
)

// Stats are a shop's counters since it was created (or since ResetStats).
type Stats struct {
	// Requests counts Admin API GraphQL requests that authenticated.
	Requests int64 `json:"requests"`
	// PointsSpent sums the actual query cost charged to the bucket.
	PointsSpent float64 `json:"pointsSpent"`
	// Throttled counts requests refused with THROTTLED.
	Throttled int64 `json:"throttled"`
	// MaxCostExceeded counts requests refused with MAX_COST_EXCEEDED.
	MaxCostExceeded int64 `json:"maxCostExceeded"`
	// InjectedServerErrors and InjectedRateLimits count fault responses.
	InjectedServerErrors int64 `json:"injectedServerErrors"`
	InjectedRateLimits   int64 `json:"injectedRateLimits"`
	// Mutations counts mutation requests that ran.
	Mutations int64 `json:"mutations"`
	// MutationsApplied counts, per idempotency key, how often a mutation
	// with that key changed data: 1 for a correctly retried request. A key's
	// entry is dropped when the key expires (24 hours after first use, on
	// Config.Clock), so the map stays bounded on a long-running simulator.
	MutationsApplied map[string]int `json:"mutationsApplied"`
	// IdempotentReplays counts requests answered from the idempotency store.
	IdempotentReplays int64 `json:"idempotentReplays"`
	// WebhooksEmitted counts webhook events raised (one per subscription).
	WebhooksEmitted int64 `json:"webhooksEmitted"`
	// WebhooksDelivered counts deliveries that got a 2xx answer.
	WebhooksDelivered int64 `json:"webhooksDelivered"`
	// WebhookAttempts counts every POST made, retries included.
	WebhookAttempts int64 `json:"webhookAttempts"`
	// WebhookFailedAttempts counts attempts with no 2xx answer in time.
	WebhookFailedAttempts int64 `json:"webhookFailedAttempts"`
	// WebhooksAbandoned counts deliveries given up after the last retry.
	WebhooksAbandoned int64 `json:"webhooksAbandoned"`
	// WebhooksDropped and WebhooksDuplicated count injected webhook faults.
	WebhooksDropped    int64 `json:"webhooksDropped"`
	WebhooksDuplicated int64 `json:"webhooksDuplicated"`
	// BulkOperations counts bulk operations started.
	BulkOperations int64 `json:"bulkOperations"`
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func newStatsCounter() *statsCounter {
	return &statsCounter{s: Stats{MutationsApplied: map[string]int{}}}
}

// add applies f to the counters under the lock.
func (c *statsCounter) add(f func(*Stats)) {
	c.mu.Lock()
	f(&c.s)
	c.mu.Unlock()
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.MutationsApplied = maps.Clone(c.s.MutationsApplied)
	return out
}

// Stats returns a copy of the shop's counters; an unknown shop gives zero
// Stats.
func (s *Simulator) Stats(shopDomain string) Stats {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return Stats{MutationsApplied: map[string]int{}}
	}
	return sh.stats.snapshot()
}

// ResetStats zeroes the shop's counters.
func (s *Simulator) ResetStats(shopDomain string) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	sh.stats.add(func(st *Stats) { *st = Stats{MutationsApplied: map[string]int{}} })
	return nil
}
