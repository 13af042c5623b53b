package shopifysim

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// idempotencyRetention is how long Shopify remembers an idempotency key.
const idempotencyRetention = 24 * time.Hour

// idempotencyStore remembers, per idempotency key, which mutation ran with
// which input and what it returned, so a retry gets the original result
// without the change being applied twice.
type idempotencyStore struct {
	mu      sync.Mutex
	entries map[string]*idempotencyEntry
	// queue holds the live entries oldest first. Entries are stored at the
	// simulator's current time, so the queue is in expiry order and expiring
	// costs only the entries that expire, not a sweep of the whole map.
	queue []*idempotencyEntry
	// onExpire is called, with mu held, for each key that expires.
	onExpire func(key string)
}

type idempotencyEntry struct {
	key         string
	fingerprint string // mutation field name + canonical arguments
	result      any    // the resolver's payload, re-rendered for each retry
	at          time.Time
}

func newIdempotencyStore(onExpire func(key string)) *idempotencyStore {
	return &idempotencyStore{entries: make(map[string]*idempotencyEntry), onExpire: onExpire}
}

// expire drops the entries older than idempotencyRetention. If an injected
// clock moves backwards the queue is only nearly sorted; a later entry then
// waits for the earlier ones, which delays its expiry but never loses it.
// Callers hold mu.
func (s *idempotencyStore) expire(now time.Time) {
	for len(s.queue) > 0 && now.Sub(s.queue[0].at) >= idempotencyRetention {
		e := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:] // append reallocates once the front is used up
		if s.entries[e.key] == e {
			delete(s.entries, e.key)
			if s.onExpire != nil {
				s.onExpire(e.key)
			}
		}
	}
}

// lookup returns the live entry for key, dropping expired ones.
func (s *idempotencyStore) lookup(key string, now time.Time) *idempotencyEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now)
	return s.entries[key]
}

func (s *idempotencyStore) store(key, fingerprint string, result any, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now)
	e := &idempotencyEntry{key: key, fingerprint: fingerprint, result: result, at: now}
	s.entries[key] = e
	s.queue = append(s.queue, e)
}

// idempotencyRequiredFrom is the first API version that refuses the
// inventory mutations without @idempotent.
const idempotencyRequiredFrom = "2026-04"

// versionAtLeast compares Shopify API versions ("2026-04"); unstable is
// newer than every release.
func versionAtLeast(v, min string) bool {
	if v == "unstable" {
		return true
	}
	return v >= min
}

// idempotent wraps a mutation resolver with Shopify's @idempotent(key:)
// semantics: the first request with a key runs and its result is kept for
// 24 hours; a retry with the same key and the same arguments gets that
// result back without running again; the same key with other arguments is
// refused with IDEMPOTENCY_KEY_PARAMETER_MISMATCH. From 2026-04 the
// directive is required.
func idempotent(fn resolver) resolver {
	return func(ec *execCtx, o any, f *ast.Field, args map[string]any) (any, error) {
		d := f.Directives.ForName("idempotent")
		if d == nil {
			if versionAtLeast(ec.version, idempotencyRequiredFrom) {
				// Both requirements of 2026-04 are reported at once, the
				// missing changeFromQuantity first.
				missing := gql.Errorf("BAD_REQUEST", "The @idempotent directive is required for this mutation but was not provided.")
				return nil, errors.Join(ec.requireChangeFrom(f.Name, args), missing)
			}
			return fn(ec, o, f, args)
		}
		key, _ := d.ArgumentMap(ec.Vars)["key"].(string)
		if strings.TrimSpace(key) == "" {
			return nil, gql.Errorf("BAD_REQUEST", "The idempotency key cannot be an empty string or whitespace only.")
		}
		canon, err := json.Marshal(args)
		if err != nil {
			return nil, err
		}
		fingerprint := f.Name + " " + string(canon)
		now := ec.sh.sim.clock()
		if e := ec.sh.idem.lookup(key, now); e != nil {
			if e.fingerprint == fingerprint {
				ec.sh.stats.add(func(s *Stats) { s.IdempotentReplays++ })
				return e.result, nil
			}
			return mutationPayload("inventoryAdjustmentGroup", nil, userErr("", nil,
				"IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
				"The same idempotency key cannot be used with different operation parameters.")), nil
		}
		ec.applied = false
		res, err := fn(ec, o, f, args)
		if err != nil {
			return nil, err
		}
		ec.sh.idem.store(key, fingerprint, res, now)
		if ec.applied {
			ec.sh.stats.add(func(s *Stats) { s.MutationsApplied[key]++ })
		}
		return res, nil
	}
}
