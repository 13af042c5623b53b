// Package downstream measures shopflow's calls to the systems it depends
// on, the ERP and Shopify: every HTTP request by system, operation and
// status class, and its latency. It wraps an http.RoundTripper, so the
// clients (package erp, shopify/admin) stay free of metrics code and every
// request is counted, retries included.
package downstream

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The systems, the values of the system label.
const (
	SystemERP     = "erp"
	SystemShopify = "shopify"
)

// StatusError is the status class of a request that got no answer: a
// network error, a timeout, a cancellation.
const StatusError = "error"

// OperationUnknown names a request whose client did not say what it was.
const OperationUnknown = "unknown"

// Metrics counts and times downstream requests. Create one per process
// with NewMetrics.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics creates the downstream metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_downstream_requests_total",
			Help: "HTTP requests to downstream systems (erp, shopify), retries included, by operation and status class (2xx, 4xx, 5xx, error for no answer).",
		}, []string{"system", "operation", "status_class"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shopflow_downstream_request_seconds",
			Help:    "Time from sending a downstream request to its response headers (or its failure), by system and operation.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"system", "operation"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// Namer names the operation of a request: a bounded set of values, never
// an ID.
type Namer func(*http.Request) string

// Client returns hc with its transport wrapped so that every request is
// measured as a call to system, named by name (OperationFromContext if
// nil). hc itself is not changed; a nil hc is http.DefaultClient's
// settings.
func (m *Metrics) Client(hc *http.Client, system string, name Namer) *http.Client {
	out := &http.Client{}
	if hc != nil {
		*out = *hc
	}
	out.Transport = m.Transport(out.Transport, system, name)
	return out
}

// Transport wraps next (http.DefaultTransport if nil) so that every
// request is measured as a call to system, named by name
// (OperationFromContext if nil).
func (m *Metrics) Transport(next http.RoundTripper, system string, name Namer) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if name == nil {
		name = OperationFromContext
	}
	return &transport{next: next, system: system, name: name, m: m}
}

type transport struct {
	next   http.RoundTripper
	system string
	name   Namer
	m      *Metrics
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	op := t.name(r)
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	t.m.duration.WithLabelValues(t.system, op).Observe(time.Since(start).Seconds())
	t.m.requests.WithLabelValues(t.system, op, StatusClass(resp, err)).Inc()
	return resp, err
}

// StatusClass is the status_class label of a request's result: "2xx",
// "4xx", "5xx" and so on, or StatusError without an answer.
func StatusClass(resp *http.Response, err error) string {
	if err != nil || resp == nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		return StatusError
	}
	return strconv.Itoa(resp.StatusCode/100) + "xx"
}

type operationKey struct{}

// WithOperation returns a context whose requests are measured as
// operation, for clients whose requests all look alike on the wire (every
// GraphQL call is a POST to one URL).
func WithOperation(ctx context.Context, operation string) context.Context {
	return context.WithValue(ctx, operationKey{}, operation)
}

// OperationFromContext names a request by the operation set with
// WithOperation on its context, or OperationUnknown.
func OperationFromContext(r *http.Request) string {
	if op, ok := r.Context().Value(operationKey{}).(string); ok && op != "" {
		return op
	}
	return OperationUnknown
}
