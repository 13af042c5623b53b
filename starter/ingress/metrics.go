package ingress

import "github.com/prometheus/client_golang/prometheus"

// Outcomes of a webhook delivery, the values of the outcome label.
const (
	outcomeStarted          = "started"
	outcomeStale            = "stale" // older than the replay window: recorded, not applied
	outcomeDuplicate        = "duplicate"
	outcomeUnhandledTopic   = "unhandled_topic"
	outcomeInvalidPayload   = "invalid_payload" // started, to fail as a dead letter
	outcomeBadSignature     = "bad_signature"
	outcomeUnknownShop      = "unknown_shop"
	outcomeMissingHeader    = "missing_header"
	outcomeTooLarge         = "too_large"
	outcomeBadBody          = "bad_body" // the body could not be read: client gone, read timeout
	outcomeMethodNotAllowed = "method_not_allowed"
	outcomeUnavailable      = "temporal_unavailable"
	outcomeStartFailed      = "start_failed"
)

// Metrics counts webhook deliveries by topic and outcome and times their
// acknowledgement.
type Metrics struct {
	deliveries *prometheus.CounterVec
	ack        *prometheus.HistogramVec
}

// NewMetrics creates the ingress metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_webhooks_total",
			Help: "Webhook deliveries by topic and outcome. The topic is empty for deliveries rejected before their signature was verified.",
		}, []string{"topic", "outcome"}),
		ack: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shopflow_webhook_ack_seconds",
			Help:    "Time from receiving a webhook to answering it, by outcome.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 5},
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.deliveries, m.ack)
	return m
}
