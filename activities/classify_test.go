package activities

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

func TestClassify(t *testing.T) {
	p := RetryPolicy{Initial: time.Second, Coefficient: 2, Max: time.Minute, Jitter: 0.2, MaxAttempts: 5}
	cases := []struct {
		name         string
		err          error
		wantType     string
		nonRetryable bool
		minDelay     time.Duration
	}{
		{"400", &erp.APIError{StatusCode: 400}, FailureDownstreamRejected, true, 0},
		{"401", &erp.APIError{StatusCode: 401}, FailureDownstreamRejected, true, 0},
		{"404", &erp.APIError{StatusCode: 404}, FailureDownstreamRejected, true, 0},
		{"422 idempotency key mismatch", &erp.APIError{StatusCode: 422, Code: "idempotency_key_mismatch"}, FailureDownstreamRejected, true, 0},
		{"wrapped 4xx stays permanent", fmt.Errorf("creating invoice: %w", &erp.APIError{StatusCode: 403}), FailureDownstreamRejected, true, 0},
		{"408", &erp.APIError{StatusCode: 408}, FailureTransient, false, 800 * time.Millisecond},
		{"409 key in flight", &erp.APIError{StatusCode: 409}, FailureTransient, false, 800 * time.Millisecond},
		{"429 with Retry-After", &erp.APIError{StatusCode: 429, RetryAfter: 7 * time.Second}, FailureTransient, false, 7 * time.Second},
		{"503 with Retry-After", &erp.APIError{StatusCode: 503, RetryAfter: 3 * time.Second}, FailureTransient, false, 3 * time.Second},
		{"500", &erp.APIError{StatusCode: 500}, FailureTransient, false, 800 * time.Millisecond},
		{"timeout", fmt.Errorf("post: %w", context.DeadlineExceeded), FailureTransient, false, 800 * time.Millisecond},
		{"network", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, FailureTransient, false, 800 * time.Millisecond},
		{"Shopify throttled", &admin.Error{Kind: admin.KindThrottled, RetryAfter: 4 * time.Second}, FailureTransient, false, 4 * time.Second},
		{"Shopify 503", &admin.Error{Kind: admin.KindUnavailable, StatusCode: 503}, FailureTransient, false, 800 * time.Millisecond},
		{"Shopify network", fmt.Errorf("page: %w", &admin.Error{Kind: admin.KindTransport}), FailureTransient, false, 800 * time.Millisecond},
		{"Shopify 401", &admin.Error{Kind: admin.KindUnauthorized, StatusCode: 401}, FailureDownstreamRejected, true, 0},
		{"Shopify query too costly", &admin.Error{Kind: admin.KindMaxCostExceeded}, FailureDownstreamRejected, true, 0},
		{"Shopify outcome unknown", &admin.Error{Kind: admin.KindOutcomeUnknown, StatusCode: 502}, FailureOutcomeUnknown, true, 0},
		{"Shopify user errors", &admin.UserErrors{}, FailureDownstreamRejected, true, 0},
		{"already classified", temporal.NewNonRetryableApplicationError("x", FailureProductNotFound, nil), FailureProductNotFound, true, 0},
	}
	for _, c := range cases {
		got := p.classifyAttempt(1, c.err, []Attempt{{Number: 1, Error: c.err.Error()}})
		// The server only looks at the top-level failure: it must be the
		// ApplicationError itself, not something wrapping one.
		appErr, ok := got.(*temporal.ApplicationError)
		if !ok {
			t.Errorf("%s: classify returned %T, want *temporal.ApplicationError at the top", c.name, got)
			continue
		}
		if appErr.Type() != c.wantType || appErr.NonRetryable() != c.nonRetryable {
			t.Errorf("%s: type %q non-retryable %v, want %q %v", c.name, appErr.Type(), appErr.NonRetryable(), c.wantType, c.nonRetryable)
		}
		if d := appErr.NextRetryDelay(); (d != 0) != !c.nonRetryable || d < c.minDelay {
			t.Errorf("%s: NextRetryDelay %v, want at least %v (none when permanent)", c.name, d, c.minDelay)
		}
		var history []Attempt
		if c.name != "already classified" && (appErr.Details(&history) != nil || len(history) != 1 || history[0].Number != 1) {
			t.Errorf("%s: details %+v, want the attempt history", c.name, history)
		}
	}
}
