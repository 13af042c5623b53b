package admin

import (
	"sync"
	"time"
)

// Stats are a shop's call figures since its limiter was created, summed
// over every Client of the shop in the process (see Registry).
type Stats struct {
	Requests    int64         // HTTP requests sent
	Throttled   int64         // THROTTLED answers and HTTP 429s
	Errors      int64         // calls that returned an *Error
	PointsSpent float64       // sum of actualQueryCost
	Waited      time.Duration // time spent waiting for the bucket or a retry
	// Samples and AvailableSum are the number of throttleStatus reports and
	// the sum of their currentlyAvailable, for the average bucket level.
	Samples      int64
	AvailableSum float64
	// MaximumAvailable and RestoreRate are from the last report.
	MaximumAvailable float64
	RestoreRate      float64
}

// AverageAvailable is the mean currentlyAvailable Shopify reported.
func (s Stats) AverageAvailable() float64 {
	if s.Samples == 0 {
		return 0
	}
	return s.AvailableSum / float64(s.Samples)
}

// shopStats accumulates Stats for one shop.
type shopStats struct {
	mu sync.Mutex
	s  Stats
}

func (st *shopStats) add(f func(*Stats)) {
	st.mu.Lock()
	f(&st.s)
	st.mu.Unlock()
}

func (st *shopStats) get() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.s
}
