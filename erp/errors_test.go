package erp

import (
	"testing"
	"time"
)

func TestAPIErrorRetryable(t *testing.T) {
	cases := []struct {
		status int
		want   bool
	}{
		{400, false}, {404, false}, {409, true}, {413, false}, {422, false},
		{429, true}, {500, true}, {502, true}, {503, true},
	}
	for _, tc := range cases {
		if got := (&APIError{StatusCode: tc.status}).Retryable(); got != tc.want {
			t.Errorf("Retryable(%d) = %v, want %v", tc.status, got, tc.want)
		}
	}
}

func TestAPIErrorMessage(t *testing.T) {
	e := &APIError{StatusCode: 429, Code: "rate_limited", Message: "slow down", RetryAfter: 2 * time.Second}
	if got, want := e.Error(), "erp: HTTP 429 rate_limited: slow down (retry after 2s)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
