package workflows_test

import (
	"context"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/workflows"
)

// bulkWaitEnv runs BulkOperationWait in the time-skipping environment with
// a status activity that answers statuses in turn (the last one forever),
// and counts its calls.
func bulkWaitEnv(t *testing.T, statuses ...string) (*testsuite.TestWorkflowEnvironment, *int) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.BulkOperationWait(workflows.DefaultConfig), workflow.RegisterOptions{Name: workflows.BulkOperationWaitName})
	calls := 0
	env.RegisterActivityWithOptions(func(context.Context, activities.BulkOperationStatusInput) (string, error) {
		s := statuses[min(calls, len(statuses)-1)]
		calls++
		return s, nil
	}, activity.RegisterOptions{Name: "BulkOperationStatus"})
	return env, &calls
}

// The bulk_operations/finish webhook's signal ends the wait at once,
// without waiting for the next poll.
func TestBulkOperationWaitEndsOnTheSignal(t *testing.T) {
	env, calls := bulkWaitEnv(t, "RUNNING")
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.BulkOperationFinishedSignal, "COMPLETED") }, 5*time.Second)
	env.ExecuteWorkflow(workflows.BulkOperationWaitName, workflows.BulkWaitInput{Shop: "s", OperationID: "gid://shopify/BulkOperation/1", PollInterval: time.Hour})
	var status string
	if err := env.GetWorkflowResult(&status); err != nil || status != "COMPLETED" {
		t.Fatalf("wait ended %q, %v; want COMPLETED", status, err)
	}
	if *calls != 1 {
		t.Errorf("polled %d times, want once (at the start)", *calls)
	}
}

// Without a webhook, polling finds the end.
func TestBulkOperationWaitPollsWithoutTheWebhook(t *testing.T) {
	env, calls := bulkWaitEnv(t, "CREATED", "RUNNING", "COMPLETED")
	env.ExecuteWorkflow(workflows.BulkOperationWaitName, workflows.BulkWaitInput{Shop: "s", OperationID: "gid://shopify/BulkOperation/1", PollInterval: time.Minute})
	var status string
	if err := env.GetWorkflowResult(&status); err != nil || status != "COMPLETED" {
		t.Fatalf("wait ended %q, %v; want COMPLETED", status, err)
	}
	if *calls != 3 {
		t.Errorf("polled %d times, want 3", *calls)
	}
}

// A signal that does not decode into a status (a payload under an
// encryption key the worker lacks, or not a string) is dropped, and the
// wait asks Shopify at once instead of waiting forever for another signal:
// it ends long before the next poll would have come.
func TestBulkOperationWaitPollsAfterAnUndecodableSignal(t *testing.T) {
	foreign := &commonpb.Payload{
		Metadata: map[string][]byte{
			converter.MetadataEncoding: []byte(encryption.EncodingEncrypted),
			encryption.MetadataKeyID:   []byte("another-key"),
			encryption.MetadataCipher:  []byte(encryption.CipherAES256GCM),
		},
		Data: []byte("sealed under a key this worker does not have"),
	}
	for name, signal := range map[string]any{
		"encrypted under another key": converter.NewRawValue(foreign),
		"not a status":                42,
	} {
		t.Run(name, func(t *testing.T) {
			env, calls := bulkWaitEnv(t, "RUNNING", "COMPLETED")
			env.SetTestTimeout(10 * time.Second)
			start := env.Now()
			env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.BulkOperationFinishedSignal, signal) }, 5*time.Second)
			env.ExecuteWorkflow(workflows.BulkOperationWaitName, workflows.BulkWaitInput{Shop: "s", OperationID: "gid://shopify/BulkOperation/1", PollInterval: time.Hour})
			if !env.IsWorkflowCompleted() {
				t.Fatal("the wait did not end")
			}
			var status string
			if err := env.GetWorkflowResult(&status); err != nil || status != "COMPLETED" {
				t.Fatalf("wait ended %q, %v; want COMPLETED", status, err)
			}
			if *calls != 2 {
				t.Errorf("polled %d times, want 2 (at the start, after the signal)", *calls)
			}
			if took := env.Now().Sub(start); took >= time.Hour {
				t.Errorf("the wait took %v of workflow time, want less than the poll interval (it polls on the undecodable signal)", took)
			}
		})
	}
}

// Runs that met an undecodable signal before the change (GetVersion's
// DefaultVersion) go on as they ran: they wait for the next signal without
// asking Shopify again, so their histories replay.
func TestBulkOperationWaitUndecodableSignalBeforeTheChange(t *testing.T) {
	env, calls := bulkWaitEnv(t, "RUNNING", "COMPLETED")
	env.OnGetVersion("bulk-wait-undecodable-signal", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.BulkOperationFinishedSignal, 42) }, 5*time.Second)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.BulkOperationFinishedSignal, "COMPLETED") }, 10*time.Second)
	env.ExecuteWorkflow(workflows.BulkOperationWaitName, workflows.BulkWaitInput{Shop: "s", OperationID: "gid://shopify/BulkOperation/1", PollInterval: time.Hour})
	var status string
	if err := env.GetWorkflowResult(&status); err != nil || status != "COMPLETED" {
		t.Fatalf("wait ended %q, %v; want COMPLETED (from the second signal)", status, err)
	}
	if *calls != 1 {
		t.Errorf("polled %d times, want once (at the start): the old path waits for the next signal", *calls)
	}
}
