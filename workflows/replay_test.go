package workflows_test

import (
	"flag"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
)

// Run `go test ./workflows -run . -record-histories` after a deliberate,
// versioned change to workflow code to refresh the recorded histories. Never
// refresh them to make TestReplayRecordedHistories pass: a failure there
// means the change would break workflows already running.
var recordHistories = flag.Bool("record-histories", false, "write the histories of the integration tests' workflows to testdata/histories")

const historyDir = "testdata/histories"

// recordHistory saves the history of a webhook's workflow for the replay
// test, when -record-histories is set.
func recordHistory(t *testing.T, s *testenv.Stack, webhookID, name string) {
	t.Helper()
	if !*recordHistories {
		return
	}
	testenv.RecordHistory(t, s.Temporal, s.WorkflowID(webhookID), historyDir, name)
}

// TestReplayRecordedHistories replays histories recorded from real runs
// against the current workflow code: a change that would break running
// workflows (non-determinism) fails here.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(historyDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no recorded histories in %s", historyDir)
	}
	// Histories recorded with encryption on decode under the test keys;
	// the others pass through the codec unchanged.
	replayer, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: testenv.DataConverter(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range wiring.Queues() {
		wiring.RegisterWorkflows(replayer, q, workflows.DefaultConfig)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Errorf("replaying %s: %v", f, err)
			}
		})
	}
}
