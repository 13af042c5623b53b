// Package ctxsleep waits for a duration unless a context ends first: the
// one place for the timer-or-cancel select that backoffs, rate limiters
// and simulated latency all need (time.Sleep ignores cancellation).
package ctxsleep

import (
	"context"
	"time"
)

// Sleep waits d or until ctx is done, whichever comes first. It returns
// nil after a full wait and ctx.Err() if ctx ended first; with d <= 0 it
// does not wait and returns ctx.Err().
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
