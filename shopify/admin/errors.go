package admin

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrorKind classifies a failed Admin API call.
type ErrorKind int

// The kinds of failure. Throttled, RateLimited, Unavailable and Transport
// are transient (IsRetryable reports true); the others, OutcomeUnknown
// included, must not be retried blindly.
const (
	// KindThrottled: Shopify answered THROTTLED more often than the client
	// was allowed to retry.
	KindThrottled ErrorKind = iota + 1
	// KindRateLimited: HTTP 429 more often than the client may retry.
	KindRateLimited
	// KindUnavailable: HTTP 5xx (or an INTERNAL_SERVER_ERROR GraphQL
	// error) after the client's retries, if any (see ForActivities).
	KindUnavailable
	// KindTransport: the request or response failed on the network.
	KindTransport
	// KindUnauthorized: HTTP 401 or 403, e.g. a wrong or revoked token.
	KindUnauthorized
	// KindNotFound: HTTP 404, e.g. a wrong shop domain or API version.
	KindNotFound
	// KindBadRequest: another HTTP 4xx, e.g. a malformed GraphQL document.
	KindBadRequest
	// KindMaxCostExceeded: the query's requested cost is over the
	// single-query maximum (1000 points); it must be made smaller.
	KindMaxCostExceeded
	// KindGraphQL: the response carried GraphQL errors (validation, access
	// denied on a field, ...). Partial data, if any, was decoded.
	KindGraphQL
	// KindDecode: the response body was not the JSON expected.
	KindDecode
	// KindOutcomeUnknown: a mutation that is not safe to repeat (see
	// IsRetryable) failed on the network or with HTTP 5xx after it may
	// have reached Shopify, so it may or may not have been applied. It is
	// not retryable: sending it again could apply it twice. Find out what
	// happened (read the object back, list the bulk operations or webhook
	// subscriptions) before trying again. StatusCode and Err tell what the
	// failure was.
	KindOutcomeUnknown
)

var kindNames = map[ErrorKind]string{
	KindThrottled:       "throttled",
	KindRateLimited:     "rate_limited",
	KindUnavailable:     "unavailable",
	KindTransport:       "transport",
	KindUnauthorized:    "unauthorized",
	KindNotFound:        "not_found",
	KindBadRequest:      "bad_request",
	KindMaxCostExceeded: "max_cost_exceeded",
	KindGraphQL:         "graphql",
	KindDecode:          "decode",
	KindOutcomeUnknown:  "outcome_unknown",
}

// String returns the kind's name, also used as the metrics label.
func (k ErrorKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Retryable reports whether failures of this kind are transient.
func (k ErrorKind) Retryable() bool {
	switch k {
	case KindThrottled, KindRateLimited, KindUnavailable, KindTransport:
		return true
	}
	return false
}

// Error is a failed Admin API call. The access token is never part of it.
type Error struct {
	Kind       ErrorKind
	Shop       string
	Operation  string
	StatusCode int      // HTTP status, 0 if none was received
	Codes      []string // GraphQL error codes (errors[].extensions.code)
	Message    string
	// RetryAfter is how long Shopify asked us to wait (Retry-After, or the
	// time the bucket needs to refill for a throttled query), if known.
	RetryAfter time.Duration
	Attempts   int   // requests sent, including retries
	Err        error // underlying cause, if any
}

// Error describes the failure without secrets.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "shopify admin %s %s: %s", e.Shop, e.Operation, e.Kind)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if len(e.Codes) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(e.Codes, ","))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil && e.Message == "" {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// HasCode reports whether Shopify returned the GraphQL error code.
func (e *Error) HasCode(code string) bool {
	for _, c := range e.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// IsRetryable reports whether err is a transient Admin API failure that is
// safe to retry later (throttling, 429, 5xx, network). Context
// cancellation, user errors and permanent failures report false.
//
// So do failures whose outcome is unknown (KindOutcomeUnknown): a mutation
// that is not safe to repeat — anything but queries, mutations with an
// idempotency key such as inventorySetQuantities, metafieldsSet without
// compareDigest, and metafieldsDelete — which failed on the network or
// with HTTP 5xx may have been applied, and retrying it could apply it a
// second time. Throttling and 429 answers, and network errors before the
// request was sent, stay retryable for every operation: Shopify did not
// run it.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind.Retryable()
}

// RetryAfter returns how long Shopify asked to wait before retrying, if err
// carries such a hint.
func RetryAfter(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	return 0, false
}

// KindOf returns the ErrorKind of err, or 0 if err is not an *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
