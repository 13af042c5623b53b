package admin

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
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

// jitter adds up to 10 % (at least up to 50 ms) to d.
func jitter(d time.Duration) time.Duration {
	j := d / 10
	if j < 50*time.Millisecond {
		j = 50 * time.Millisecond
	}
	return d + rand.N(j)
}

// parseRetryAfter reads a Retry-After header: seconds, possibly
// fractional, or an HTTP date.
func parseRetryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(h, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
