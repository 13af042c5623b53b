// Package retryafter reads the HTTP Retry-After header, so that every
// client in shopflow (the Shopify Admin client, the ERP client) agrees on
// what a server asked for.
package retryafter

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Max is the longest delay Parse returns: a value beyond what a
// time.Duration holds is clamped to it rather than wrapping round to a
// negative (or no) wait.
const Max = time.Duration(math.MaxInt64)

// Parse reads a Retry-After value relative to now. ok reports whether h
// held a usable value; when it is false the delay is 0 and the caller
// picks its own default.
//
// The value is either delay-seconds or an HTTP date (RFC 9110 §10.2.3):
//
//   - Seconds may be fractional ("0.25"), as Shopify and our ERP send,
//     and are surrounded by optional white space. "0" is a valid delay of
//     0. Negative numbers, NaN and Inf are invalid: they are no delay a
//     server can mean.
//   - A number too large for a time.Duration (even for a float64, such as
//     "1e400") is clamped to Max and ok: the server did ask for a long
//     wait.
//   - An HTTP date in any of the formats http.ParseTime accepts (IMF-fixdate,
//     RFC 850, ANSI C) gives the time left until then; a date now or in
//     the past gives 0 and ok: the server asked to wait until a time that
//     has come.
//   - Anything else, including "" and white space alone, is invalid.
func Parse(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	s, err := strconv.ParseFloat(h, 64)
	// ErrRange still yields ±Inf or ±0, correctly signed: a run of digits
	// too long for a float64 is an overflow, not garbage.
	if err == nil || errors.Is(err, strconv.ErrRange) {
		if err == nil && (math.IsNaN(s) || math.IsInf(s, 0)) {
			return 0, false
		}
		if s < 0 {
			return 0, false
		}
		d := s * float64(time.Second)
		// float64(math.MaxInt64) is 2^63, so anything smaller converts
		// exactly; converting a larger float is implementation-defined.
		if d >= float64(math.MaxInt64) {
			return Max, true
		}
		return time.Duration(d), true
	}
	if t, err := http.ParseTime(h); err == nil {
		// Sub saturates, so a date centuries ahead cannot overflow.
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
