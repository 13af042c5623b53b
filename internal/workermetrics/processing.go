package workermetrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/workflows"
)

// ProcessingMetric is the name of the webhook processing-latency histogram,
// which the alert ShopflowWebhookProcessingSlow and the dashboard read.
const ProcessingMetric = "shopflow_webhook_processing_seconds"

// ProcessingBuckets are the processing histogram's buckets, in seconds:
// fine around the seconds a healthy webhook takes and the SLA (see
// deploy/prometheus/alerts.yml), coarse up to Shopify's 4 hours of
// redeliveries.
var ProcessingBuckets = []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400}

func newProcessingHistogram() *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: ProcessingMetric,
		Help: "Time from a webhook's X-Shopify-Triggered-At (or, without it, its receipt by the ingress) " +
			"to its workflow's completion, by topic. Replays of dead letters are not counted.",
		Buckets: ProcessingBuckets,
	}, []string{"topic"})
}

// observeProcessing records how long the webhook whose workflow just
// completed took from Shopify to done. It is called once, in the workflow
// task that completes the workflow, never on replay.
//
// The clock starts at X-Shopify-Triggered-At, so that time spent in
// Shopify's redeliveries while the ingress was down counts too; without
// the header (or with one that does not parse) it starts when the ingress
// started the workflow, which it does on receipt. A reset run (an operator
// replaying a dead letter) is not counted: its latency is the operator's,
// not the pipeline's, and would page for hours-old events. The clock stops
// at the worker's wall clock, when the workflow returns; reading it here
// has no effect on workflow state, so determinism is not at stake.
func (i *Interceptor) observeProcessing(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) {
	info := workflow.GetInfo(ctx)
	if info.WorkflowExecution.RunID != info.FirstRunID {
		return
	}
	hook, ok := webhookArg(in)
	if !ok {
		return
	}
	begin := info.WorkflowStartTime
	if t, err := time.Parse(time.RFC3339Nano, hook.TriggeredAt); err == nil {
		begin = t
	}
	i.processing.WithLabelValues(hook.Topic).Observe(max(time.Since(begin), 0).Seconds())
}

// webhookArg returns the Webhook a webhook workflow was started with, or
// false for workflows that webhooks do not start.
func webhookArg(in *interceptor.ExecuteWorkflowInput) (workflows.Webhook, bool) {
	if len(in.Args) != 1 {
		return workflows.Webhook{}, false
	}
	switch hook := in.Args[0].(type) {
	case workflows.Webhook:
		return hook, hook.Topic != ""
	case *workflows.Webhook:
		return *hook, hook != nil && hook.Topic != ""
	}
	return workflows.Webhook{}, false
}
