package activities

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	p := RetryPolicy{Initial: time.Second, Coefficient: 2, Max: 10 * time.Second, Jitter: 0.2, MaxAttempts: 5}
	cases := []struct {
		name       string
		attempt    int32
		retryAfter time.Duration
		u          float64
		want       time.Duration
	}{
		{"first retry, no jitter draw", 1, 0, 0.5, time.Second},
		{"first retry, lowest jitter", 1, 0, 0, 800 * time.Millisecond},
		{"first retry, highest jitter", 1, 0, 1, 1200 * time.Millisecond},
		{"exponential", 3, 0, 0.5, 4 * time.Second},
		{"capped", 10, 0, 0.5, 10 * time.Second},
		{"capped, jittered", 10, 0, 1, 12 * time.Second},
		{"Retry-After longer than backoff", 1, 2 * time.Second, 0, 2 * time.Second},
		{"Retry-After spread over a little time", 1, 2 * time.Second, 0.5, 2200 * time.Millisecond},
		{"backoff longer than Retry-After", 4, time.Second, 0.5, 8 * time.Second},
		{"attempt 0 treated as 1", 0, 0, 0.5, time.Second},
	}
	for _, c := range cases {
		if got := p.Delay(c.attempt, c.retryAfter, c.u); got != c.want {
			t.Errorf("%s: Delay(%d, %v, %v) = %v, want %v", c.name, c.attempt, c.retryAfter, c.u, got, c.want)
		}
	}
}

func TestDelayNeverBelowRetryAfter(t *testing.T) {
	p := DefaultRetryPolicy
	for attempt := int32(1); attempt <= 8; attempt++ {
		for _, u := range []float64{0, 0.25, 0.5, 0.99} {
			if got := p.Delay(attempt, 30*time.Second, u); got < 30*time.Second {
				t.Errorf("Delay(%d, 30s, %v) = %v, shorter than Retry-After", attempt, u, got)
			}
		}
	}
}
