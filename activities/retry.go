package activities

import (
	"math"
	"math/rand/v2"
	"time"

	"go.temporal.io/sdk/temporal"
)

// RetryPolicy is shopflow's one retry policy for activities: exponential
// backoff with jitter, bounded attempts. Temporal's own retry policy has no
// jitter, so activities compute each delay themselves (Delay) and hand it to
// the server as the error's NextRetryDelay; the Temporal policy built by
// Temporal() supplies the attempt bound and the fallback for timeouts, which
// never reach activity code.
type RetryPolicy struct {
	// Initial is the delay before the second attempt.
	Initial time.Duration
	// Coefficient multiplies the delay after every attempt.
	Coefficient float64
	// Max caps the delay between attempts.
	Max time.Duration
	// Jitter is the fraction by which a delay is randomly shortened or
	// lengthened, so that many workflows failing together do not retry
	// together.
	Jitter float64
	// MaxAttempts bounds the number of attempts, the first included.
	MaxAttempts int32
}

// DefaultRetryPolicy is used unless the worker is configured otherwise.
var DefaultRetryPolicy = RetryPolicy{
	Initial:     time.Second,
	Coefficient: 2,
	Max:         time.Minute,
	Jitter:      0.2,
	MaxAttempts: 5,
}

// Temporal returns the policy in Temporal's form for ActivityOptions.
func (p RetryPolicy) Temporal() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:        p.Initial,
		BackoffCoefficient:     p.Coefficient,
		MaximumInterval:        p.Max,
		MaximumAttempts:        p.MaxAttempts,
		NonRetryableErrorTypes: NonRetryableFailureKinds(),
	}
}

// Delay returns how long to wait after the given failed attempt (1-based)
// before the next. retryAfter is what the server asked for (Retry-After),
// zero if nothing; the delay is never shorter than it. u is a uniform random
// number in [0, 1), a parameter so that tests can pin it.
func (p RetryPolicy) Delay(attempt int32, retryAfter time.Duration, u float64) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	base := float64(p.Initial) * math.Pow(p.Coefficient, float64(attempt-1))
	if base > float64(p.Max) {
		base = float64(p.Max)
	}
	d := time.Duration(base * (1 + p.Jitter*(2*u-1)))
	if retryAfter > 0 {
		// Honour Retry-After, spreading clients over a little time after it
		// rather than all at the instant the server named.
		floor := retryAfter + time.Duration(float64(retryAfter)*p.Jitter*u)
		if d < floor {
			d = floor
		}
	}
	return d
}

// delayFor is Delay with real randomness, for use inside activities.
func (p RetryPolicy) delayFor(attempt int32, retryAfter time.Duration) time.Duration {
	return p.Delay(attempt, retryAfter, rand.Float64())
}
