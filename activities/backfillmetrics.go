package activities

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// backfillMetrics are the backfill figures of the agreed names; nil
// records nothing.
type backfillMetrics struct {
	items        *prometheus.CounterVec
	done, total  *prometheus.GaugeVec
	running      *prometheus.GaugeVec
	lastProgress *prometheus.GaugeVec
}

func newBackfillMetrics(reg prometheus.Registerer) *backfillMetrics {
	if reg == nil {
		return nil
	}
	per := []string{"shop", "kind", "backfill"}
	return &backfillMetrics{
		items: registerOrReuse(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_backfill_items_total",
			Help: "Items backfills went through, by outcome (changed, skipped, failed); dry runs count what they would change.",
		}, []string{"shop", "kind", "outcome"})),
		done: registerOrReuse(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_backfill_done_items", Help: "Items a backfill has gone through.",
		}, per)),
		total: registerOrReuse(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_backfill_total_items", Help: "Items a backfill will go through.",
		}, per)),
		running: registerOrReuse(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_backfill_running", Help: "1 while a backfill runs and is not paused.",
		}, per)),
		lastProgress: registerOrReuse(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shopflow_backfill_last_progress_timestamp_seconds", Help: "When a backfill last completed a batch.",
		}, per)),
	}
}

func (m *backfillMetrics) batch(in BackfillBatchInput, res BackfillBatchResult) {
	if m == nil {
		return
	}
	m.items.WithLabelValues(in.Shop, in.Kind, OutcomeChanged).Add(float64(res.Changed))
	m.items.WithLabelValues(in.Shop, in.Kind, "skipped").Add(float64(res.Skipped))
	m.items.WithLabelValues(in.Shop, in.Kind, OutcomeFailed).Add(float64(res.Failed))
	total := in.Total
	if done := in.Done + res.Items; done > total {
		total = done
	}
	m.progress(BackfillProgressInput{Kind: in.Kind, Shop: in.Shop, Backfill: in.Backfill,
		Done: in.Done + res.Items, Total: total, Running: true}, time.Now())
}

func (m *backfillMetrics) progress(in BackfillProgressInput, now time.Time) {
	if m == nil {
		return
	}
	m.done.WithLabelValues(in.Shop, in.Kind, in.Backfill).Set(float64(in.Done))
	m.total.WithLabelValues(in.Shop, in.Kind, in.Backfill).Set(float64(in.Total))
	running := 0.0
	if in.Running {
		running = 1
	}
	m.running.WithLabelValues(in.Shop, in.Kind, in.Backfill).Set(running)
	m.lastProgress.WithLabelValues(in.Shop, in.Kind, in.Backfill).Set(float64(now.Unix()))
}
