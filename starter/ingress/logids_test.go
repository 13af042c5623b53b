package ingress_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/workflows"
)

// A delivery's log line names the workflow and run it started, and a
// redelivery's names the run that already has it: one grep follows the
// webhook into the worker's logs and the Web UI.
func TestLogsCarryWorkflowAndRunIDs(t *testing.T) {
	c := testenv.Temporal(t)
	var logs lockedBuffer
	reg := prometheus.NewRegistry()
	h := ingress.NewHandler(ingress.Config{
		Temporal: c, TaskQueue: "logids-test-no-worker",
		Secrets: ingress.ShopSecrets{testenv.Shop: {[]byte(testenv.Secret)}},
		Logger:  logging.NewTo(&logs, "starter", 0), Metrics: ingress.NewMetrics(reg),
	})
	srv := httptest.NewServer(ingress.NewMux(h, c, reg))
	defer srv.Close()

	id := "logids-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	for range 2 {
		resp, err := http.DefaultClient.Do(testenv.SignedRequest(t, srv.URL+"/webhooks/shopify", "orders/create", id, testenv.SampleOrder(t, 7007)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	wfID := workflows.WebhookWorkflowID(testenv.Shop, id)
	desc, err := c.DescribeWorkflow(context.Background(), wfID, "")
	if err != nil {
		t.Fatal(err)
	}
	runID := desc.RawResponse.GetWorkflowExecutionInfo().GetExecution().GetRunId()

	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["correlation_id"] != id {
			continue
		}
		seen++
		if rec["workflow_id"] != wfID || rec["run_id"] != runID {
			t.Errorf("%s line: workflow_id %v, run_id %v; want %s, %s", rec["outcome"], rec["workflow_id"], rec["run_id"], wfID, runID)
		}
	}
	if seen != 2 {
		t.Errorf("%d log lines for %s, want 2 (started, duplicate)", seen, id)
	}
}
