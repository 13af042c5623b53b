package deadletters

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// DepthCollector exports the number of open dead letters as the gauge
// shopflow_dead_letters{shop,failure_kind}. Counting asks Temporal, so the
// result is kept for a while: scrapes stay cheap however often they come,
// and concurrent scrapes share one query.
type DepthCollector struct {
	store   *Store
	scope   Filter
	ttl     time.Duration
	timeout time.Duration
	logger  *slog.Logger

	depth  *prometheus.Desc
	errors prometheus.Counter

	mu     sync.Mutex
	at     time.Time
	counts []Count
	ok     bool
}

// DepthOptions configures a DepthCollector.
type DepthOptions struct {
	// Scope restricts what is counted; everything if zero.
	Scope Filter
	// TTL is how long a count is reused; 15 s if zero.
	TTL time.Duration
	// Timeout bounds one count; 5 s if zero, well under Prometheus's
	// default 10 s scrape timeout, so that a slow count costs only this
	// gauge, not the whole scrape.
	Timeout time.Duration
	// Logger reports failed counts; slog.Default() if nil.
	Logger *slog.Logger
}

// NewDepthCollector returns a collector counting through store. Register
// it on a prometheus.Registerer.
func NewDepthCollector(store *Store, opts DepthOptions) *DepthCollector {
	if opts.TTL <= 0 {
		opts.TTL = 15 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &DepthCollector{
		store: store, scope: opts.Scope, ttl: opts.TTL, timeout: opts.Timeout, logger: opts.Logger,
		depth: prometheus.NewDesc("shopflow_dead_letters",
			"Open dead letters: webhook workflows whose latest run failed, by shop and failure kind.",
			[]string{"shop", "failure_kind"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shopflow_dead_letters_query_errors_total",
			Help: "Failed attempts to count the dead letters in Temporal; shopflow_dead_letters is absent after one.",
		}),
	}
}

// Describe implements prometheus.Collector.
func (c *DepthCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	c.errors.Describe(ch)
}

// Collect implements prometheus.Collector. When Temporal cannot be asked,
// the gauge is left out rather than reported as zero, which would read as
// "no dead letters"; the error counter goes up instead.
func (c *DepthCollector) Collect(ch chan<- prometheus.Metric) {
	counts, ok := c.current()
	if ok {
		for _, n := range counts {
			ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n.Count), n.Shop, n.Kind)
		}
	}
	c.errors.Collect(ch)
}

// current returns the cached counts, counting again once they are older
// than the TTL.
func (c *DepthCollector) current() ([]Count, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.ttl {
		return c.counts, c.ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	counts, err := c.store.Count(ctx, c.scope)
	c.at, c.counts, c.ok = time.Now(), counts, err == nil
	if err != nil {
		c.errors.Inc()
		c.logger.Warn("counting dead letters failed", "error", err.Error())
	}
	return c.counts, c.ok
}
