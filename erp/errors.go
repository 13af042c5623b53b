package erp

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrProductNotFound reports that the ERP has no product for a SKU or for a
// Shopify product and variant.
var ErrProductNotFound = errors.New("erp: product not found")

// ErrMissingIdempotencyKey is returned, without calling the ERP, by calls
// that create something when given an empty idempotency key.
var ErrMissingIdempotencyKey = errors.New("erp: idempotency key is required")

// APIError is a non-2xx answer from the ERP.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the ERP's machine-readable error code, such as
	// "idempotency_key_mismatch"; empty if the answer had no error body.
	Code string
	// Message is the ERP's human-readable explanation.
	Message string
	// RetryAfter is the wait the ERP asked for in Retry-After; 0 if absent
	// or unparseable.
	RetryAfter time.Duration
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "erp: HTTP %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Retryable reports whether the same request may succeed later: rate
// limits, a concurrent request still holding the idempotency key, timeouts
// and server errors. Other 4xx answers describe the request itself and
// will not change on retry, so activities should fail them as
// non-retryable.
func (e *APIError) Retryable() bool {
	switch e.StatusCode {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	}
	return e.StatusCode >= 500
}

// parseRetryAfter reads a Retry-After value: delay seconds (fractional
// allowed, as our ERP may send) or an HTTP date, relative to now. Absent,
// invalid, negative or past values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || secs <= 0 {
			return 0
		}
		if secs >= float64(math.MaxInt64)/float64(time.Second) {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
