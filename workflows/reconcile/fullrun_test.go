package reconcile

import (
	"testing"
	"time"
)

// The day's full run is the first scheduled run after midnight UTC.
func TestFullRunIsTheFirstOfTheDay(t *testing.T) {
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at       time.Duration
		interval time.Duration
		want     bool
	}{
		{0, time.Hour, true},
		{59 * time.Minute, time.Hour, true},
		{time.Hour, time.Hour, false},
		{23 * time.Hour, time.Hour, false},
		{10 * time.Minute, 15 * time.Minute, true},
		{20 * time.Minute, 15 * time.Minute, false},
		{0, 0, false},
		{0, 24 * time.Hour, false},
	} {
		if got := fullRun(day.Add(tc.at), tc.interval); got != tc.want {
			t.Errorf("fullRun(%v after midnight, every %v) = %v, want %v", tc.at, tc.interval, got, tc.want)
		}
	}
}
