package shopifysim

import (
	"math/rand/v2"
	"time"
)

// Faults are failures injected into a shop's traffic. Rates are shares in
// [0, 1] drawn from the simulator's seeded random source.
type Faults struct {
	// ServerErrorRate is the share of Admin API requests answered with a 5xx
	// (500, 502 or 503, chosen at random) before they reach the executor.
	ServerErrorRate float64 `json:"serverErrorRate"`
	// RateLimitRate is the share answered 429 with a Retry-After header.
	RateLimitRate float64 `json:"rateLimitRate"`
	// RetryAfter is the Retry-After sent with injected 429s; zero means 2s.
	RetryAfter time.Duration `json:"retryAfter"`
	// Latency delays every Admin API response.
	Latency time.Duration `json:"latency"`
	// WebhookDropRate is the share of webhook events never delivered.
	WebhookDropRate float64 `json:"webhookDropRate"`
	// WebhookDuplicateRate is the share of webhook events delivered twice
	// (same X-Shopify-Webhook-Id and X-Shopify-Event-Id), as Shopify may.
	WebhookDuplicateRate float64 `json:"webhookDuplicateRate"`
	// WebhookReorderRate is the share of webhook events held back by a
	// random delay so they arrive after later events.
	WebhookReorderRate float64 `json:"webhookReorderRate"`
	// WebhookReorderDelay bounds that delay (before time scaling); zero
	// means 2s.
	WebhookReorderDelay time.Duration `json:"webhookReorderDelay"`
	// BulkMutationFailAfterLines fails a bulk mutation that has more lines
	// once it has run this many, as Shopify fails an operation part-way:
	// FAILED with INTERNAL_SERVER_ERROR, the results of the lines run so
	// far at partialDataUrl (their effects stay). Zero never fails.
	BulkMutationFailAfterLines int `json:"bulkMutationFailAfterLines"`
}

// SetFaults replaces the faults injected into a shop's traffic.
func (s *Simulator) SetFaults(shopDomain string, f Faults) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	sh.fmu.Lock()
	sh.faults = f
	sh.fmu.Unlock()
	return nil
}

// Faults returns the faults currently injected into a shop's traffic.
func (s *Simulator) Faults(shopDomain string) (Faults, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return Faults{}, err
	}
	sh.fmu.Lock()
	defer sh.fmu.Unlock()
	return sh.faults, nil
}

// roll draws from the shop's random source: it reports whether an event of
// probability p happens, and returns the faults in force.
func (sh *shop) roll(p func(Faults) float64) (bool, Faults) {
	sh.fmu.Lock()
	defer sh.fmu.Unlock()
	f := sh.faults
	q := p(f)
	if q <= 0 {
		return false, f
	}
	return sh.rng.Float64() < q, f
}

// randN returns a seeded random int in [0, n).
func (sh *shop) randN(n int64) int64 {
	if n <= 0 {
		return 0
	}
	sh.fmu.Lock()
	defer sh.fmu.Unlock()
	return sh.rng.Int64N(n)
}

// newRand returns a seeded source for one task (a bulk operation's shuffle).
func (sh *shop) newRand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(sh.sim.cfg.Seed^hashString(sh.cfg.Domain), stream))
}
