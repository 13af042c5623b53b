package workermetrics_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
)

// A worker whose client reports through SDKMetricsHandler exports the
// SDK's series, with the names and labels deploy/prometheus/alerts.yml
// reads, on the same registry as shopflow's own.
func TestSDKMetricsAreExported(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{NoWorker: true})
	testenv.SeedSampleProducts(t, s.ERP)
	reg := prometheus.NewRegistry()
	handler, err := workermetrics.SDKMetricsHandler(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: testenv.FrontendAddress(t), MetricsHandler: handler,
		Logger: log.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	queue := "sdk-metrics-" + s.Shop
	w := worker.New(c, queue, worker.Options{})
	wiring.Register(w, wiring.Webhooks, s.Deps(testenv.Options{}))
	w.RegisterWorkflowWithOptions(func(workflow.Context) error { panic("a bug") }, workflow.RegisterOptions{Name: "Panics"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hook := workflows.Webhook{Shop: s.Shop, Topic: "orders/create", ID: "sdk-1", Payload: testenv.SampleOrder(t, 21)}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: s.WorkflowID("sdk-1"), TaskQueue: queue}, "OrderCreated", hook)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// A start refused as a duplicate is a request failure with its status code.
	_, err = c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: s.WorkflowID("sdk-1"), TaskQueue: queue,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true}, "OrderCreated", hook)
	if err == nil {
		t.Fatal("second start succeeded")
	}

	want := map[string][]string{ // series and labels the alert rules use
		"temporal_num_pollers": {"poller_type", "task_queue", "namespace"},
		"temporal_workflow_task_schedule_to_start_latency_seconds": {"task_queue", "namespace"},
		"temporal_activity_schedule_to_start_latency_seconds":      {"task_queue", "activity_type"},
		"temporal_workflow_endtoend_latency_seconds":               {"workflow_type", "task_queue"},
		"temporal_workflow_completed_total":                        {"workflow_type"},
		"temporal_request_total":                                   {"operation"},
		"temporal_request_failure_total":                           {"operation", "status_code"},
		"temporal_workflow_task_execution_latency_seconds":         {"workflow_type"},
		"temporal_activity_execution_latency_seconds":              {"activity_type"},
	}
	for _, name := range workermetrics.SDKMetrics {
		if _, ok := want[name]; !ok {
			want[name] = nil
		}
	}
	want["temporal_workflow_task_execution_failed_total"] = []string{"failure_reason", "workflow_type", "task_queue"}
	// A workflow whose code panics fails its workflow task, as a
	// non-deterministic one does, but with failure_reason WorkflowError.
	panicking, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "sdk-panics-" + s.Shop, TaskQueue: queue}, "Panics")
	if err != nil {
		t.Fatal(err)
	}
	defer c.TerminateWorkflow(context.Background(), panicking.GetID(), "", "test over")
	deadline := time.Now().Add(10 * time.Second)
	for {
		missing := missingSeries(t, reg, want)
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("missing SDK series or labels: %s", strings.Join(missing, "; "))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func missingSeries(t *testing.T, reg *prometheus.Registry, want map[string][]string) []string {
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]map[string]bool{}
	for _, f := range families {
		labels := map[string]bool{}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = true
			}
		}
		found[f.GetName()] = labels
	}
	var missing []string
	for name, labels := range want {
		got, ok := found[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		for _, l := range labels {
			if !got[l] {
				missing = append(missing, name+" without label "+l)
			}
		}
	}
	if len(missing) > 0 && len(found) > 0 {
		var names []string
		for n := range found {
			names = append(names, n)
		}
		t.Logf("exported: %s", strings.Join(names, ", "))
	}
	return missing
}
