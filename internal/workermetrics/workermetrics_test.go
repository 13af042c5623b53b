package workermetrics_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// One order synced after a 503, one dead letter: the worker's metrics tell
// both stories, each counted once.
func TestActivityAndWorkflowOutcomesAreCounted(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	if err := s.ERP.SetFaults([]erpsim.Fault{{Method: http.MethodPost, PathPrefix: "/v1/invoices", Kind: erpsim.FaultError, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	s.Deliver(t, "orders/create", "wh-ok", testenv.SampleOrder(t, 1))
	if err := s.Wait(t, "wh-ok"); err != nil {
		t.Fatal(err)
	}
	s.Deliver(t, "orders/create", "wh-bad", testenv.SampleOrder(t, 2, "NOBODY-KNOWS-ME"))
	if err := s.Wait(t, "wh-bad"); err == nil {
		t.Fatal("workflow succeeded, want ProductNotFound")
	}

	want := `
# HELP shopflow_activity_attempts_total Activity attempts by activity type and outcome (completed, retryable_error, permanent_error, canceled).
# TYPE shopflow_activity_attempts_total counter
shopflow_activity_attempts_total{activity="CreateInvoice",outcome="completed"} 1
shopflow_activity_attempts_total{activity="CreateInvoice",outcome="retryable_error"} 1
shopflow_activity_attempts_total{activity="MapLineItems",outcome="completed"} 1
shopflow_activity_attempts_total{activity="MapLineItems",outcome="permanent_error"} 1
shopflow_activity_attempts_total{activity="RequestFulfillment",outcome="completed"} 1
# HELP shopflow_workflow_completions_total Workflows that completed, by workflow type.
# TYPE shopflow_workflow_completions_total counter
shopflow_workflow_completions_total{workflow="OrderCreated"} 1
# HELP shopflow_workflow_failures_total Workflows that ended as dead letters, by workflow type and failure kind.
# TYPE shopflow_workflow_failures_total counter
shopflow_workflow_failures_total{failure_kind="` + activities.FailureProductNotFound + `",workflow="OrderCreated"} 1
`
	if err := testutil.GatherAndCompare(s.Metrics, stringsReader(want),
		"shopflow_activity_attempts_total", "shopflow_workflow_completions_total", "shopflow_workflow_failures_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(s.Metrics, "shopflow_activity_duration_seconds"); n != 3 {
		t.Errorf("%d activity duration series, want one per activity type (3)", n)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
