package erp

import (
	"math"
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"2", 2 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"0.5", 500 * time.Millisecond},
		{"1.25", 1250 * time.Millisecond},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{"NaN", 0},
		{"Inf", 0},
		{"1e30", time.Duration(math.MaxInt64)},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second},
		{"Sunday, 01-Mar-26 12:00:30 GMT", 30 * time.Second}, // RFC 850
		{"Sun Mar  1 12:00:30 2026", 30 * time.Second},       // ANSI C
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},   // in the past
	}
	for _, tc := range cases {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

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
