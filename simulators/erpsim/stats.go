package erpsim

import (
	"maps"
	"sync"
)

// Stats are the simulator's counters, served at GET /admin/stats.
type Stats struct {
	// Requests counts requests by route pattern (such as
	// "POST /v1/invoices", or "unmatched") and then by status code, with
	// "aborted" for connections dropped without an answer.
	Requests map[string]map[string]int64 `json:"requests"`
	// IdempotentReplays counts answers replayed from a stored key.
	IdempotentReplays int64 `json:"idempotent_replays"`
	// FaultsInjected counts injected faults by kind.
	FaultsInjected map[FaultKind]int64 `json:"faults_injected"`
	// KeysStored and KeysInFlight describe the Idempotency-Key store now.
	KeysStored   int `json:"idempotency_keys_stored"`
	KeysInFlight int `json:"idempotency_keys_in_flight"`
}

// counters is the mutable part of Stats.
type counters struct {
	mu       sync.Mutex
	requests map[string]map[string]int64
	replays  int64
	faults   map[FaultKind]int64
}

func newCounters() *counters {
	return &counters{requests: make(map[string]map[string]int64), faults: make(map[FaultKind]int64)}
}

func (c *counters) request(route, status string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.requests[route]
	if m == nil {
		m = make(map[string]int64)
		c.requests[route] = m
	}
	m[status]++
}

func (c *counters) replay() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.replays++
}

func (c *counters) fault(k FaultKind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults[k]++
}

// snapshot returns a deep copy so callers can read it without locking.
func (c *counters) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := Stats{
		Requests:          make(map[string]map[string]int64, len(c.requests)),
		IdempotentReplays: c.replays,
		FaultsInjected:    maps.Clone(c.faults),
	}
	for route, m := range c.requests {
		st.Requests[route] = maps.Clone(m)
	}
	return st
}

func (c *counters) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = make(map[string]map[string]int64)
	c.replays = 0
	c.faults = make(map[FaultKind]int64)
}
