package deadletters_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/workflows"
)

// A failed workflow that no webhook starts (a reconciler, a backfill) is
// not a dead letter, even with the same search attributes as one: list,
// count, show and replay leave it alone, while the webhook dead letter next
// to it is found.
func TestOnlyWebhookWorkflowsAreDeadLetters(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{Config: fastConfig})
	testenv.SeedSampleProducts(t, s.ERP)
	ctx := context.Background()

	// Not a webhook's: fails the way a webhook workflow does, with a kind.
	const otherType = "ScopeTestReconciler"
	w := worker.New(s.Temporal, s.TaskQueue+"-other", worker.Options{})
	w.RegisterWorkflowWithOptions(func(ctx workflow.Context) error {
		return workflows.Fail(ctx, workflow.GetLogger(ctx), activities.FailureDownstreamRejected, errors.New("drift could not be corrected"))
	}, workflow.RegisterOptions{Name: otherType})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	otherID := "reconcile/" + s.Shop + "/scope-test"
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: otherID, TaskQueue: s.TaskQueue + "-other", WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.ShopDomainKey.ValueSet(s.Shop)),
	}, otherType)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err == nil {
		t.Fatal("the other workflow did not fail")
	}
	s.AwaitVisible(t, fmt.Sprintf(`WorkflowId = %q AND ExecutionStatus = "Failed"`, otherID), 1)
	deliverAndFail(t, s, "wh-scope", orderWithUnknownProduct(t, 7301), activities.FailureProductNotFound)

	store := deadletters.New(s.Temporal, deadletters.Options{DataConverter: testenv.Codec(t).DataConverter()})
	list, err := store.List(ctx, deadletters.Filter{Shop: s.Shop})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].WorkflowID != s.WorkflowID("wh-scope") {
		t.Fatalf("list = %+v, want only the webhook dead letter", list)
	}
	counts, err := store.Count(ctx, deadletters.Filter{Shop: s.Shop})
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].Kind != activities.FailureProductNotFound || counts[0].Count != 1 {
		t.Errorf("count = %+v, want one ProductNotFound", counts)
	}
	if _, err := store.Show(ctx, otherID, deadletters.ShowOptions{}); err == nil || !strings.Contains(err.Error(), "not a webhook's") {
		t.Errorf("show of the other workflow: %v, want a refusal", err)
	}
	if _, err := store.ReplayOne(ctx, otherID, deadletters.ReplayOptions{}); err == nil || !strings.Contains(err.Error(), "not a webhook's") {
		t.Errorf("replay of the other workflow: %v, want a refusal", err)
	}
}
