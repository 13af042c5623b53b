package retryafter

import (
	"net/http"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		// Absent or garbage: the caller's default applies.
		{"", 0, false},
		{"   ", 0, false},
		{"soon", 0, false},
		{"2 seconds", 0, false},
		// Delay-seconds, whole or fractional, with white space around.
		{"2", 2 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0.5", 500 * time.Millisecond, true},
		{"1.25", 1250 * time.Millisecond, true},
		{" 1.25 ", 1250 * time.Millisecond, true},
		{"0", 0, true},
		{"-0", 0, true},
		{"1e-400", 0, true}, // underflows to 0
		// No delay a server can mean.
		{"-3", 0, false},
		{"-0.5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"+Inf", 0, false},
		{"-Inf", 0, false},
		{"-1e400", 0, false},
		// Too long for a Duration: clamped, not wrapped round.
		{"1e30", Max, true},
		{"9223372037", Max, true}, // just over 2^63 ns
		{"1e400", Max, true},      // over a float64 too
		// HTTP dates, in the three formats, relative to now.
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"Sun, 01 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sunday, 01-Mar-26 12:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Sun Mar  1 12:00:30 2026", 30 * time.Second, true},       // ANSI C
		{" Sun, 01 Mar 2026 12:00:30 GMT ", 30 * time.Second, true},
		// Now or past: wait no longer, but the header was valid.
		{now.Format(http.TimeFormat), 0, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"Sun, 01 Mar 2026 25:00:00 GMT", 0, false}, // no such time
	}
	for _, tc := range cases {
		got, ok := Parse(tc.in, now)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
