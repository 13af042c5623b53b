package admin

import (
	"math"
	"math/rand/v2"
	"time"
)

// backoff is the delay before retry n (1-based) after a 5xx or network
// error: exponential from base, capped at max, with full jitter so that
// goroutines that failed together do not retry together.
func backoff(n int, base, max time.Duration) time.Duration {
	d := base << min(n-1, 20)
	if d <= 0 || d > max {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

// jitter adds up to 10 % (at least up to 50 ms) to d, so that goroutines
// told to wait alike do not come back together; rnd(n) is a random
// duration in [0, n). It saturates: a clamped Retry-After stays the
// longest wait rather than wrapping round to none.
func jitter(d time.Duration, rnd func(time.Duration) time.Duration) time.Duration {
	j := rnd(max(d/10, 50*time.Millisecond))
	if d > math.MaxInt64-j {
		return math.MaxInt64
	}
	return d + j
}
