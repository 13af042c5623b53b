// Package workermetrics exports what a shopflow worker does as Prometheus
// metrics: every activity attempt with its outcome and duration, every
// workflow that ends as a dead letter, by failure kind, and how long each
// webhook took from Shopify to done (processing.go). It hooks into the
// worker as a Temporal interceptor, so workflows and activities stay free
// of metrics code. The Temporal SDK's own metrics join the same registry
// through SDKMetricsHandler (sdk.go).
package workermetrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Outcomes of an activity attempt, the values of the outcome label.
const (
	OutcomeCompleted = "completed"
	OutcomeRetryable = "retryable_error" // Temporal will try again
	OutcomePermanent = "permanent_error" // non-retryable: the workflow decides
	OutcomeCanceled  = "canceled"
)

// Interceptor counts activity attempts and workflow failures. Add it to
// worker.Options.Interceptors.
type Interceptor struct {
	interceptor.WorkerInterceptorBase
	attempts   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	failures   *prometheus.CounterVec
	completed  *prometheus.CounterVec
	processing *prometheus.HistogramVec
	repeated   *prometheus.CounterVec

	failedEntities failureMemory
}

// New creates the metrics, registers them on reg and returns the
// interceptor that feeds them.
func New(reg prometheus.Registerer) *Interceptor {
	i := &Interceptor{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_activity_attempts_total",
			Help: "Activity attempts by activity type and outcome (completed, retryable_error, permanent_error, canceled).",
		}, []string{"activity", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shopflow_activity_duration_seconds",
			Help:    "Duration of one activity attempt, by activity type.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"activity"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_workflow_failures_total",
			Help: "Workflows that ended as dead letters, by workflow type and failure kind.",
		}, []string{"workflow", "failure_kind"}),
		completed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shopflow_workflow_completions_total",
			Help: "Workflows that completed, by workflow type.",
		}, []string{"workflow"}),
		processing: newProcessingHistogram(),
		repeated:   newRepeatedFailuresCounter(),
	}
	reg.MustRegister(i.attempts, i.duration, i.failures, i.completed, i.processing, i.repeated)
	return i
}

// InterceptActivity implements interceptor.WorkerInterceptor.
func (i *Interceptor) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, m: i}
}

// InterceptWorkflow implements interceptor.WorkerInterceptor.
func (i *Interceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &workflowInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, m: i}
}

type activityInbound struct {
	interceptor.ActivityInboundInterceptorBase
	m *Interceptor
}

func (a *activityInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	start := time.Now()
	result, err := a.Next.ExecuteActivity(ctx, in)
	name := activity.GetInfo(ctx).ActivityType.Name
	a.m.duration.WithLabelValues(name).Observe(time.Since(start).Seconds())
	a.m.attempts.WithLabelValues(name, activityOutcome(err)).Inc()
	return result, err
}

// activityOutcome names how an attempt ended.
func activityOutcome(err error) string {
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		return OutcomeCompleted
	case errors.Is(err, context.Canceled):
		return OutcomeCanceled
	case errors.As(err, &appErr) && appErr.NonRetryable():
		return OutcomePermanent
	}
	return OutcomeRetryable
}

type workflowInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	m *Interceptor
}

func (w *workflowInbound) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	result, err := w.Next.ExecuteWorkflow(ctx, in)
	// A workflow's code runs again on every replay; count its end once,
	// when it really happens.
	if workflow.IsReplaying(ctx) {
		return result, err
	}
	name := workflow.GetInfo(ctx).WorkflowType.Name
	var appErr *temporal.ApplicationError
	var canceled *temporal.CanceledError
	switch {
	case err == nil:
		w.m.completed.WithLabelValues(name).Inc()
		w.m.observeProcessing(ctx, in)
	case errors.As(err, &canceled), workflow.IsContinueAsNewError(err):
	case errors.As(err, &appErr):
		w.m.failures.WithLabelValues(name, appErr.Type()).Inc()
		w.m.observeRepeatedFailure(ctx, name, appErr.Type())
	default:
		w.m.failures.WithLabelValues(name, "Unknown").Inc()
		w.m.observeRepeatedFailure(ctx, name, "Unknown")
	}
	return result, err
}
