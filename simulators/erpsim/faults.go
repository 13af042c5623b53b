package erpsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names what an injected fault does to a request.
type FaultKind string

// The fault kinds.
const (
	// FaultError answers with Fault.Status (default 503) without any effect.
	FaultError FaultKind = "error"
	// FaultRateLimit answers 429 with a Retry-After header, without effect.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultLatency delays the request by Fault.Latency and then serves it.
	// The delay happens while the Idempotency-Key is held, which is how a
	// slow first request makes a concurrent retry see 409.
	FaultLatency FaultKind = "latency"
	// FaultCommitThenTimeout applies the request's effect (and stores its
	// idempotent result), waits Fault.Latency, then drops the connection
	// without answering: the caller cannot know the effect happened.
	FaultCommitThenTimeout FaultKind = "commit_then_timeout"
)

// Fault is one fault injection rule. Rules only ever apply to /v1/ paths.
type Fault struct {
	// Method restricts the rule to one HTTP method; empty matches any.
	Method string `json:"method,omitempty"`
	// PathPrefix restricts the rule to paths with this prefix; empty
	// matches every /v1/ path.
	PathPrefix string `json:"path_prefix,omitempty"`
	// Kind is what the fault does.
	Kind FaultKind `json:"kind"`
	// Status is the answer of an error fault; 0 means 503.
	Status int `json:"status,omitempty"`
	// RetryAfter is the Retry-After value of a rate_limit fault: seconds,
	// fractional allowed, or an HTTP date. Empty means "1".
	RetryAfter string `json:"retry_after,omitempty"`
	// Latency is the delay of latency and commit_then_timeout faults. In
	// JSON it is a Go duration string such as "200ms".
	Latency time.Duration `json:"-"`
	// Probability that a matching request is hit; 0 means 1.
	Probability float64 `json:"probability,omitempty"`
	// Count bounds how many requests the rule hits; 0 means unlimited.
	Count int `json:"count,omitempty"`
}

// faultJSON is Fault's wire form: latency as a duration string, and
// retry_after accepted as a string or a number.
type faultJSON struct {
	Method      string          `json:"method,omitempty"`
	PathPrefix  string          `json:"path_prefix,omitempty"`
	Kind        FaultKind       `json:"kind"`
	Status      int             `json:"status,omitempty"`
	RetryAfter  json.RawMessage `json:"retry_after,omitempty"`
	Latency     string          `json:"latency,omitempty"`
	Probability float64         `json:"probability,omitempty"`
	Count       int             `json:"count,omitempty"`
}

// MarshalJSON encodes the latency as a duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{
		Method: f.Method, PathPrefix: f.PathPrefix, Kind: f.Kind, Status: f.Status,
		Probability: f.Probability, Count: f.Count,
	}
	if f.RetryAfter != "" {
		j.RetryAfter, _ = json.Marshal(f.RetryAfter)
	}
	if f.Latency != 0 {
		j.Latency = f.Latency.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the latency from a duration string such as "200ms".
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	// Strict, so a misspelt field such as "probabilty" is an error rather
	// than a rule that silently always fires.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*f = Fault{
		Method: j.Method, PathPrefix: j.PathPrefix, Kind: j.Kind, Status: j.Status,
		Probability: j.Probability, Count: j.Count,
	}
	if len(j.RetryAfter) > 0 && string(j.RetryAfter) != "null" {
		var s string
		if err := json.Unmarshal(j.RetryAfter, &s); err != nil {
			var n json.Number
			if err := json.Unmarshal(j.RetryAfter, &n); err != nil {
				return fmt.Errorf("retry_after: want a string or a number")
			}
			s = n.String()
		}
		f.RetryAfter = s
	}
	if j.Latency != "" {
		d, err := time.ParseDuration(j.Latency)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		f.Latency = d
	}
	return nil
}

// validate checks a rule and reports the first problem.
func (f Fault) validate() error {
	switch f.Kind {
	case FaultError:
		if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
			return fmt.Errorf("status %d is not an error status", f.Status)
		}
	case FaultRateLimit:
		if f.RetryAfter != "" {
			if _, err := http.ParseTime(f.RetryAfter); err != nil {
				if s, err := strconv.ParseFloat(f.RetryAfter, 64); err != nil || s < 0 {
					return fmt.Errorf("retry_after %q is neither seconds nor an HTTP date", f.RetryAfter)
				}
			}
		}
	case FaultLatency, FaultCommitThenTimeout:
	default:
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	if f.Latency < 0 {
		return fmt.Errorf("latency must not be negative")
	}
	if f.Probability < 0 || f.Probability > 1 {
		return fmt.Errorf("probability must be within [0, 1]")
	}
	if f.Count < 0 {
		return fmt.Errorf("count must not be negative")
	}
	return nil
}

// faultRule is a Fault plus how many requests it has hit.
type faultRule struct {
	Fault
	hits int
}

// faultSet holds the active rules and the random source for probabilities.
type faultSet struct {
	mu    sync.Mutex
	rules []*faultRule
	rng   *rand.Rand
}

func newFaultSet(seed uint64) *faultSet {
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &faultSet{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// set replaces the rules after validating all of them.
func (fs *faultSet) set(faults []Fault) error {
	rules := make([]*faultRule, 0, len(faults))
	for i, f := range faults {
		if err := f.validate(); err != nil {
			return fmt.Errorf("fault %d: %w", i, err)
		}
		rules = append(rules, &faultRule{Fault: f})
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.rules = rules
	return nil
}

func (fs *faultSet) list() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, 0, len(fs.rules))
	for _, r := range fs.rules {
		out = append(out, r.Fault)
	}
	return out
}

// pick returns the first rule that matches the request, still has hits
// left and wins its probability roll. At most one fault hits a request.
func (fs *faultSet) pick(method, path string) (Fault, bool) {
	if !strings.HasPrefix(path, "/v1/") {
		return Fault{}, false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, r := range fs.rules {
		if r.Method != "" && !strings.EqualFold(r.Method, method) {
			continue
		}
		if r.PathPrefix != "" && !strings.HasPrefix(path, r.PathPrefix) {
			continue
		}
		if r.Count > 0 && r.hits >= r.Count {
			continue
		}
		if p := r.Probability; p != 0 && p < 1 && fs.rng.Float64() >= p {
			continue
		}
		r.hits++
		return r.Fault, true
	}
	return Fault{}, false
}
