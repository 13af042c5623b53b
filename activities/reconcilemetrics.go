package activities

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// ReconcileMetrics are the reconcilers' Prometheus figures, with the names
// the alert rules and dashboards use.
type ReconcileMetrics struct {
	DriftFound  *prometheus.CounterVec   // shop, reconciler, field
	Corrections *prometheus.CounterVec   // shop, reconciler, outcome
	DriftItems  *prometheus.GaugeVec     // shop, reconciler
	LastSuccess *prometheus.GaugeVec     // shop, reconciler
	Interval    *prometheus.GaugeVec     // shop, reconciler
	RunDuration *prometheus.HistogramVec // reconciler
}

// Correction outcomes, the values of the outcome label.
const (
	CorrectionApplied  = "applied"
	CorrectionFailed   = "failed"
	CorrectionDeferred = "deferred"
)

// NewReconcileMetrics registers the reconcilers' metrics on reg, or reuses
// the ones already registered there (several workers of one process share
// a registry); nil reg gives metrics that are recorded nowhere.
func NewReconcileMetrics(reg prometheus.Registerer) *ReconcileMetrics {
	m := &ReconcileMetrics{
		DriftFound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_reconcile_drift_found_total",
			Help: "Drifted items reconciliation found beyond tolerance, by field.",
		}, []string{"shop", "reconciler", "field"}),
		Corrections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_reconcile_corrections_total",
			Help: "Corrections reconciliation made (applied), gave up on (failed) or left to the next run (deferred).",
		}, []string{"shop", "reconciler", "outcome"}),
		DriftItems: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_reconcile_drift_items",
			Help: "Drifted items the last reconciliation run found.",
		}, []string{"shop", "reconciler"}),
		LastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_reconcile_last_success_timestamp_seconds",
			Help: "When the last reconciliation run finished successfully.",
		}, []string{"shop", "reconciler"}),
		Interval: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_reconcile_interval_seconds",
			Help: "The reconciliation schedule's interval.",
		}, []string{"shop", "reconciler"}),
		RunDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shopflow_reconcile_run_duration_seconds",
			Help:    "How long reconciliation runs take, start to finish.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14),
		}, []string{"reconciler"}),
	}
	if reg == nil {
		return m
	}
	m.DriftFound = registerOrReuse(reg, m.DriftFound)
	m.Corrections = registerOrReuse(reg, m.Corrections)
	m.DriftItems = registerOrReuse(reg, m.DriftItems)
	m.LastSuccess = registerOrReuse(reg, m.LastSuccess)
	m.Interval = registerOrReuse(reg, m.Interval)
	m.RunDuration = registerOrReuse(reg, m.RunDuration)
	return m
}

// registerOrReuse registers c, or returns the collector already registered under
// its name.
func registerOrReuse[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}
