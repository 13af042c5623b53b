package admin

import (
	"net/http"
	"time"

	"github.com/shopflow/shopflow/internal/retryafter"
)

// action is what MakeRequest does with one response.
type action int

const (
	// actDeliver: decode the data into the caller's response; then fail
	// with the decision's kind if it has one (GraphQL errors beside data).
	actDeliver action = iota + 1
	// actFail: return the decision's *Error now.
	actFail
	// actThrottle: flow control. Wait the decision's delay and send again,
	// up to Options.MaxThrottleRetries times.
	actThrottle
	// actBackOff: a 5xx or network error on a request that is safe to
	// repeat. Back off and send again, up to Options.MaxErrorRetries times.
	actBackOff
)

// decision is what a response means. kind, msg and cause describe the
// *Error returned when the action is actFail, when actDeliver has a kind,
// or when the retries of actThrottle or actBackOff are used up.
type decision struct {
	act   action
	kind  ErrorKind
	msg   string
	cause error
	// throttled counts the response as a throttle in the stats and
	// metrics (429 and THROTTLED; a 503 is Shopify being down, not us
	// going too fast).
	throttled bool
	// wait is actThrottle's delay before sending again, and retryAfter
	// the Error.RetryAfter when the client gives up throttling.
	wait, retryAfter time.Duration
}

// decide says what res means for a request that is retrySafe (see
// retrySafe), at time now, with rnd(n) a random duration in [0, n) for
// the jitter. It does no I/O, sleeps not and counts nothing, so that every
// branch can be tested by table; the counters and the sleeping are
// MakeRequest's. A transport error when the caller's context has ended is
// MakeRequest's too: it returns the context's error before asking.
func decide(res result, retrySafe bool, now time.Time, rnd func(time.Duration) time.Duration) decision {
	// failed is a 5xx or network error: repeat it if that is safe.
	failed := func(k ErrorKind, msg string, cause error, sent bool) decision {
		if !retrySafe && sent {
			// It may have been applied: repeating it here or in the
			// caller could apply it twice.
			return decision{act: actFail, kind: KindOutcomeUnknown, msg: msg, cause: cause}
		}
		return decision{act: actBackOff, kind: k, msg: msg, cause: cause}
	}
	// throttle waits d, the same d it reports if the client gives up.
	throttle := func(k ErrorKind, d time.Duration, throttled bool) decision {
		return decision{act: actThrottle, kind: k, msg: "still throttled", throttled: throttled, wait: d, retryAfter: d}
	}
	errs := res.env.Errors
	switch {
	case res.err != nil:
		// notSent: the request provably never reached Shopify.
		return failed(KindTransport, "", res.err, !notSent(res.err))
	case res.status == http.StatusTooManyRequests:
		d, ok := retryafter.Parse(res.header.Get("Retry-After"), now)
		if !ok {
			d = time.Second
		}
		return throttle(KindRateLimited, jitter(d, rnd), true)
	case res.status == http.StatusServiceUnavailable && res.header.Get("Retry-After") != "":
		d, _ := retryafter.Parse(res.header.Get("Retry-After"), now)
		return throttle(KindUnavailable, jitter(d, rnd), false)
	case res.status >= 500:
		return failed(KindUnavailable, http.StatusText(res.status), nil, true)
	case res.status == http.StatusUnauthorized || res.status == http.StatusForbidden:
		return decision{act: actFail, kind: KindUnauthorized, msg: errorText(res)}
	case res.status == http.StatusNotFound:
		return decision{act: actFail, kind: KindNotFound, msg: errorText(res)}
	case res.status < 200 || res.status >= 300:
		return decision{act: actFail, kind: KindBadRequest, msg: errorText(res)}
	case res.decodeErr != nil:
		return decision{act: actFail, kind: KindDecode, cause: res.decodeErr}
	case hasCode(errs, "THROTTLED"):
		// The model now holds Shopify's figure, so acquire waits
		// (cost − available)/restoreRate; the wait only adds jitter so
		// that throttled goroutines do not come back in step.
		dec := throttle(KindThrottled, rnd(100*time.Millisecond)+time.Millisecond, true)
		dec.retryAfter = refillTime(res.cost)
		return dec
	case hasCode(errs, "MAX_COST_EXCEEDED"):
		return decision{act: actFail, kind: KindMaxCostExceeded, msg: errs[0].Message, cause: errs}
	case hasCode(errs, "INTERNAL_SERVER_ERROR") && isNull(res.env.Data):
		return failed(KindUnavailable, errs[0].Message, errs, true)
	case len(errs) > 0:
		return decision{act: actDeliver, kind: KindGraphQL, msg: errs[0].Message, cause: errs}
	}
	return decision{act: actDeliver}
}
