package workermetrics

import (
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/otlptranslator"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// SDKLatencyBuckets are the buckets, in seconds, of the Temporal SDK's
// latency histograms (schedule-to-start, execution, end-to-end, request
// latency). OpenTelemetry's default buckets are meant for milliseconds.
var SDKLatencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300}

// SDKMetrics are the Temporal SDK series that shopflow's alert rules and
// dashboard read, as SDKMetricsHandler names them; sdk_test.go checks that
// a worker really exports each, and the dashboard test checks the
// dashboard against this list.
var SDKMetrics = []string{
	"temporal_num_pollers",
	"temporal_workflow_task_schedule_to_start_latency_seconds",
	"temporal_activity_schedule_to_start_latency_seconds",
	"temporal_workflow_task_execution_latency_seconds",
	"temporal_workflow_task_execution_failed_total",
	"temporal_activity_execution_latency_seconds",
	"temporal_workflow_endtoend_latency_seconds",
	"temporal_workflow_completed_total",
	"temporal_request_total",
	"temporal_request_failure_total",
	"temporal_worker_task_slots_available",
	"temporal_sticky_cache_size",
}

// SDKMetricsHandler returns a Temporal client.MetricsHandler that exports
// the Temporal SDK's own metrics (temporal_num_pollers,
// temporal_workflow_task_schedule_to_start_latency_seconds,
// temporal_workflow_task_execution_failed_total, temporal_request_failure_total,
// temporal_workflow_endtoend_latency_seconds, ...) on reg, next to
// shopflow's. Set it as client.Options.MetricsHandler: the client and every
// worker built on it report through it.
//
// The SDK reports through OpenTelemetry (go.temporal.io/sdk/contrib/opentelemetry),
// bridged to Prometheus by OpenTelemetry's Prometheus exporter, which names
// series the Prometheus way: counters end in _total, timers in _seconds.
// Metric errors are logged, never fatal: a metric must not stop a worker.
func SDKMetricsHandler(reg prometheus.Registerer, logger *slog.Logger) (client.MetricsHandler, error) {
	exporter, err := otelprom.New(
		otelprom.WithRegisterer(reg),
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
		otelprom.WithoutScopeInfo(),
		otelprom.WithoutTargetInfo(),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal SDK metrics: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(exporter),
		sdkmetric.WithView(sdkmetric.NewView(
			sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram, Unit: "s"},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: SDKLatencyBuckets}},
		)),
	)
	return temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: provider.Meter("temporal-sdk-go"),
		// Counters as monotonic sums, so that Prometheus sees counters
		// (rate, increase) rather than gauges.
		UseMonotonicCounters: true,
		OnError: func(err error) {
			if logger != nil {
				logger.Warn("temporal SDK metric failed", "error", err.Error())
			}
		},
	}), nil
}
