package shopifysim

import (
	"sync"
	"time"
)

// idempotencyRetention is how long Shopify remembers an idempotency key.
const idempotencyRetention = 24 * time.Hour

// idempotencyStore remembers, per idempotency key, which mutation ran with
// which input and what it returned, so a retry gets the original result
// without the change being applied twice.
type idempotencyStore struct {
	mu      sync.Mutex
	entries map[string]*idempotencyEntry
}

type idempotencyEntry struct {
	fingerprint string // mutation field name + canonical arguments
	result      any    // the resolver's payload, re-rendered for each retry
	at          time.Time
}

func newIdempotencyStore() *idempotencyStore {
	return &idempotencyStore{entries: make(map[string]*idempotencyEntry)}
}

// lookup returns the live entry for key, dropping expired ones.
func (s *idempotencyStore) lookup(key string, now time.Time) *idempotencyEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, e := range s.entries {
		if now.Sub(e.at) >= idempotencyRetention {
			delete(s.entries, k)
		}
	}
	return s.entries[key]
}

func (s *idempotencyStore) store(key, fingerprint string, result any, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = &idempotencyEntry{fingerprint: fingerprint, result: result, at: now}
}
