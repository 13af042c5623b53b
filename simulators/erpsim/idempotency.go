package erpsim

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"
)

// DefaultKeyTTL is how long an Idempotency-Key and its stored result are
// kept when Options.KeyTTL is zero.
const DefaultKeyTTL = 48 * time.Hour

// claimOutcome is what the key store decided about an incoming request.
type claimOutcome int

const (
	claimed  claimOutcome = iota // new key: the caller must complete or release it
	replay                       // same key, same request, finished: replay it
	mismatch                     // same key, different request
	inFlight                     // same key, first request still running
)

// keyEntry is one Idempotency-Key. While done is false the first request is
// still being processed.
type keyEntry struct {
	fingerprint [sha256.Size]byte
	created     time.Time
	done        bool
	result      response
}

// keyStore remembers Idempotency-Keys, Stripe style: global scope,
// successful results replayed for the TTL, a different request under a used
// key rejected.
type keyStore struct {
	mu      sync.Mutex
	now     func() time.Time
	ttl     time.Duration
	entries map[string]*keyEntry
	// order lists keys oldest first so expired ones can be dropped in
	// amortised constant time instead of scanning the whole map.
	order []keyRef
}

type keyRef struct {
	key   string
	entry *keyEntry
}

func newKeyStore(now func() time.Time, ttl time.Duration) *keyStore {
	return &keyStore{now: now, ttl: ttl, entries: make(map[string]*keyEntry)}
}

// fingerprint hashes the canonical request. The JSON body is re-encoded with
// sorted keys so that field order or whitespace does not count as a
// different request; a body that is not JSON is hashed as is.
func fingerprint(method, path string, body []byte) [sha256.Size]byte {
	canonical := body
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep numbers exactly as sent
	if err := dec.Decode(&v); err == nil && !dec.More() {
		if b, err := json.Marshal(v); err == nil {
			canonical = b
		}
	}
	h := sha256.New()
	h.Write([]byte(method))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(canonical)
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// claim looks key up. For a new key it records the request as in flight and
// returns the entry, which the caller must pass to complete or release.
// For replay it returns the stored entry's result.
func (s *keyStore) claim(key string, fp [sha256.Size]byte) (claimOutcome, *keyEntry, response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.dropExpired(now)
	if e, ok := s.entries[key]; ok {
		if e.done && s.expired(e, now) {
			delete(s.entries, key)
		} else {
			switch {
			case e.fingerprint != fp:
				return mismatch, nil, response{}
			case !e.done:
				return inFlight, nil, response{}
			default:
				return replay, nil, e.result
			}
		}
	}
	e := &keyEntry{fingerprint: fp, created: now}
	s.entries[key] = e
	s.order = append(s.order, keyRef{key, e})
	return claimed, e, response{}
}

// complete stores the result for a claimed key so later requests replay it.
func (s *keyStore) complete(key string, e *keyEntry, result response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// After a reset the key belongs to nobody; storing would resurrect it.
	if e == nil || s.entries[key] != e {
		return
	}
	e.done = true
	e.result = result
}

// release forgets a claimed key whose request did not produce a storable
// result (5xx, 409, 429, client gone), so a retry may proceed.
func (s *keyStore) release(key string, e *keyEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries[key] == e {
		delete(s.entries, key)
	}
}

func (s *keyStore) expired(e *keyEntry, now time.Time) bool {
	return now.Sub(e.created) >= s.ttl
}

// dropExpired removes expired finished keys from the front of the order
// queue. It stops at the first live or in-flight key; later keys are
// younger or are checked on lookup anyway.
func (s *keyStore) dropExpired(now time.Time) {
	n := 0
	for _, ref := range s.order {
		if s.entries[ref.key] != ref.entry {
			n++ // released or replaced: nothing to delete
			continue
		}
		if !ref.entry.done || !s.expired(ref.entry, now) {
			break
		}
		delete(s.entries, ref.key)
		n++
	}
	s.order = s.order[n:]
}

func (s *keyStore) counts() (stored, inFlight int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.entries {
		if e.done {
			stored++
		} else {
			inFlight++
		}
	}
	return stored, inFlight
}

func (s *keyStore) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = make(map[string]*keyEntry)
	s.order = nil
}

// storable reports whether a result is kept under its key: only a success.
// Like Stripe, a request refused by validation (400, 422) was never
// executed, so nothing is saved and the same key can succeed once the cause
// is fixed (say a product added to the master data before a dead letter is
// replayed); server errors, 409 and 429 say "try again later" and are not
// kept either.
func storable(status int) bool {
	return status >= 200 && status < 300
}
