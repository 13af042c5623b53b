package erpsim

import (
	"testing"
	"time"
)

func TestKeyStore(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s := newKeyStore(func() time.Time { return now }, time.Hour)
	fpA := fingerprint("POST", "/v1/invoices", []byte(`{"a":1}`))
	fpB := fingerprint("POST", "/v1/invoices", []byte(`{"a":2}`))

	outcome, e, _ := s.claim("k", fpA)
	if outcome != claimed {
		t.Fatalf("first claim = %v", outcome)
	}
	if outcome, _, _ := s.claim("k", fpA); outcome != inFlight {
		t.Errorf("claim while in flight = %v, want inFlight", outcome)
	}
	if outcome, _, _ := s.claim("k", fpB); outcome != mismatch {
		t.Errorf("other body while in flight = %v, want mismatch", outcome)
	}
	s.complete("k", e, response{status: 201, body: []byte(`{"id":"inv_1"}`)})
	outcome, _, got := s.claim("k", fpA)
	if outcome != replay || got.status != 201 || string(got.body) != `{"id":"inv_1"}` {
		t.Errorf("claim after complete = %v %+v, want replay of the stored result", outcome, got)
	}
	if stored, inFlight := s.counts(); stored != 1 || inFlight != 0 {
		t.Errorf("counts = %d stored, %d in flight", stored, inFlight)
	}

	// Expired keys are swept even when nobody asks for them again.
	now = now.Add(time.Hour)
	if outcome, _, _ := s.claim("other", fpA); outcome != claimed {
		t.Fatal("claim of a new key failed")
	}
	if _, ok := s.entries["k"]; ok {
		t.Error("expired key k is still stored")
	}

	// A reset while a request is in flight must not let that request
	// resurrect its key afterwards.
	_, e2, _ := s.claim("late", fpA)
	s.reset()
	s.complete("late", e2, response{status: 201})
	if outcome, _, _ := s.claim("late", fpB); outcome != claimed {
		t.Errorf("after reset the key gives %v, want claimed", outcome)
	}
}

func TestFingerprint(t *testing.T) {
	base := fingerprint("POST", "/v1/invoices", []byte(`{"a":1,"b":"x"}`))
	cases := []struct {
		name         string
		method, path string
		body         string
		same         bool
	}{
		{"identical", "POST", "/v1/invoices", `{"a":1,"b":"x"}`, true},
		{"key order and spacing", "POST", "/v1/invoices", "{ \"b\": \"x\",\n \"a\": 1 }", true},
		{"other value", "POST", "/v1/invoices", `{"a":2,"b":"x"}`, false},
		{"number spelled differently", "POST", "/v1/invoices", `{"a":1.0,"b":"x"}`, false},
		{"other path", "POST", "/v1/fulfillment-requests", `{"a":1,"b":"x"}`, false},
		{"other method", "PUT", "/v1/invoices", `{"a":1,"b":"x"}`, false},
	}
	for _, tc := range cases {
		if got := fingerprint(tc.method, tc.path, []byte(tc.body)) == base; got != tc.same {
			t.Errorf("%s: same = %v, want %v", tc.name, got, tc.same)
		}
	}
}
