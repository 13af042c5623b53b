package shopifysim

import (
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
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
				return nil, errCode("BAD_REQUEST", "The @idempotent directive is required for this mutation but was not provided.")
			}
			return fn(ec, o, f, args)
		}
		key, _ := d.ArgumentMap(ec.vars)["key"].(string)
		if strings.TrimSpace(key) == "" {
			return nil, errCode("BAD_REQUEST", "The idempotency key cannot be an empty string or whitespace only.")
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
