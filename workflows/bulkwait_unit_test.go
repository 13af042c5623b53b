package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
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
