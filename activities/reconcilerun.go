package activities

import (
	"context"
	"time"
)

// ReconcileRunSummary is what a finished reconciliation run reports to
// the metrics.
type ReconcileRunSummary struct {
	Shop       string
	Reconciler string
	Started    time.Time
	Finished   time.Time
	// Interval is the schedule's interval; zero for a run no schedule
	// started.
	Interval     time.Duration
	DriftByField map[string]int
	// DriftItems counts the drifted items found.
	DriftItems int
	// Corrections counts the corrections by outcome (applied, failed,
	// deferred).
	Corrections map[string]int
	// DryRun runs change nothing and count no corrections.
	DryRun bool
}

// RecordReconcileRun records a finished run in the metrics: drift by
// field, corrections by outcome, the drifted items of the last run, its
// duration and, as it finished, the time of the last success.
func (a *Inventory) RecordReconcileRun(_ context.Context, s ReconcileRunSummary) error {
	m := a.Metrics
	if m == nil {
		return nil
	}
	for field, n := range s.DriftByField {
		m.DriftFound.WithLabelValues(s.Shop, s.Reconciler, field).Add(float64(n))
	}
	if !s.DryRun {
		for _, outcome := range []string{CorrectionApplied, CorrectionFailed, CorrectionDeferred} {
			m.Corrections.WithLabelValues(s.Shop, s.Reconciler, outcome).Add(float64(s.Corrections[outcome]))
		}
	}
	m.DriftItems.WithLabelValues(s.Shop, s.Reconciler).Set(float64(s.DriftItems))
	m.LastSuccess.WithLabelValues(s.Shop, s.Reconciler).Set(float64(s.Finished.Unix()))
	if s.Interval > 0 {
		m.Interval.WithLabelValues(s.Shop, s.Reconciler).Set(s.Interval.Seconds())
	}
	m.RunDuration.WithLabelValues(s.Reconciler).Observe(s.Finished.Sub(s.Started).Seconds())
	return nil
}
