package reconcile

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// Collector exports the reconciliation schedules' health, for alerts on a
// schedule that stopped running: shopflow_schedule_missed_catchup_total
// {schedule} (runs missed beyond the catch-up window, Temporal's count)
// and shopflow_schedule_last_action_timestamp_seconds{schedule}. Asking
// Temporal costs a describe per schedule, so the figures are kept for a
// TTL and concurrent scrapes share one refresh.
type Collector struct {
	c       client.Client
	ttl     time.Duration
	timeout time.Duration
	logger  *slog.Logger

	missed, last *prometheus.Desc

	mu       sync.Mutex
	at       time.Time
	statuses []Status
}

// NewCollector returns a collector asking c; ttl 15 s if zero.
func NewCollector(c client.Client, ttl time.Duration, logger *slog.Logger) *Collector {
	if ttl <= 0 {
		ttl = 15 * time.Second
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Collector{
		c: c, ttl: ttl, timeout: 5 * time.Second, logger: logger,
		missed: prometheus.NewDesc("shopflow_schedule_missed_catchup_total",
			"Runs of the schedule skipped because they were due longer ago than its catch-up window.", []string{"schedule"}, nil),
		last: prometheus.NewDesc("shopflow_schedule_last_action_timestamp_seconds",
			"When the schedule last started a run.", []string{"schedule"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.missed
	ch <- c.last
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.current() {
		ch <- prometheus.MustNewConstMetric(c.missed, prometheus.GaugeValue, float64(s.MissedCatchup), s.ID)
		if !s.LastAction.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.last, prometheus.GaugeValue, float64(s.LastAction.Unix()), s.ID)
		}
	}
}

// current returns the statuses, refreshed if older than the TTL; on a
// failed refresh it keeps the last ones.
func (c *Collector) current() []Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.ttl {
		return c.statuses
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	st, err := Statuses(ctx, c.c, "")
	if err != nil {
		c.logger.Warn("could not describe the reconciliation schedules", "error", err)
		return c.statuses
	}
	c.at, c.statuses = time.Now(), st
	return st
}
