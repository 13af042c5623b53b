package workflows_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
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
	ctx := context.Background()
	iter := s.Temporal.GetWorkflowHistory(ctx, s.WorkflowID(webhookID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var history historypb.History
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		history.Events = append(history.Events, ev)
	}
	data, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(&history)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(historyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(historyDir, name+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
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
	replayer := worker.NewWorkflowReplayer()
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
