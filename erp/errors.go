package erp

import (
	"errors"
	"fmt"
	"net/http"
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
	// RetryAfter is the wait the ERP asked for in Retry-After, as
	// retryafter.Parse reads it; 0 if absent, invalid or in the past.
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
