package admin

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus collectors of the Admin API clients, labelled
// by shop. Create one per process with NewMetrics and pass it in Options;
// a nil *Metrics records nothing.
type Metrics struct {
	pointsSpent *prometheus.CounterVec
	bucketLevel *prometheus.GaugeVec
	waitSeconds *prometheus.HistogramVec
	throttled   *prometheus.CounterVec
	errors      *prometheus.CounterVec
	requests    *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them on reg (not the
// global registry, so that tests and several clients can each have theirs).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		pointsSpent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "shopify", Subsystem: "admin", Name: "points_spent_total",
			Help: "Query cost points spent (actualQueryCost).",
		}, []string{"shop"}),
		bucketLevel: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "shopify", Subsystem: "admin", Name: "bucket_available_points",
			Help: "Points available in the shop's bucket, as last reported by Shopify.",
		}, []string{"shop"}),
		waitSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "shopify", Subsystem: "admin", Name: "wait_seconds",
			Help:    "Time a request waited for the rate limiter or a retry delay.",
			Buckets: []float64{0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"shop"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "shopify", Subsystem: "admin", Name: "throttled_total",
			Help: "Responses that were THROTTLED or HTTP 429.",
		}, []string{"shop"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "shopify", Subsystem: "admin", Name: "errors_total",
			Help: "Failed calls by kind (after retries).",
		}, []string{"shop", "kind"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "shopify", Subsystem: "admin", Name: "requests_total",
			Help: "HTTP requests sent, retries included, by operation.",
		}, []string{"shop", "operation"}),
	}
	for _, c := range []prometheus.Collector{m.pointsSpent, m.bucketLevel, m.waitSeconds, m.throttled, m.errors, m.requests} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) spent(shop string, points float64) {
	if m != nil && points > 0 {
		m.pointsSpent.WithLabelValues(shop).Add(points)
	}
}

func (m *Metrics) level(shop string, available float64) {
	if m != nil {
		m.bucketLevel.WithLabelValues(shop).Set(available)
	}
}

func (m *Metrics) waited(shop string, d time.Duration) {
	if m != nil {
		m.waitSeconds.WithLabelValues(shop).Observe(d.Seconds())
	}
}

func (m *Metrics) throttle(shop string) {
	if m != nil {
		m.throttled.WithLabelValues(shop).Inc()
	}
}

func (m *Metrics) failed(shop string, k ErrorKind) {
	if m != nil {
		m.errors.WithLabelValues(shop, k.String()).Inc()
	}
}

func (m *Metrics) request(shop, op string) {
	if m != nil {
		m.requests.WithLabelValues(shop, op).Inc()
	}
}
