package deadletters_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// The operator loop: an order references a product the ERP does not know,
// the workflow fails at once as a ProductNotFound dead letter, the operator
// finds and inspects it, replays it too early (it fails again and is still
// one dead letter), adds the product, replays again, and the order reaches
// the ERP exactly once.
func TestOperatorLoopProductNotFound(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{Config: fastConfig})
	testenv.SeedSampleProducts(t, s.ERP)
	ctx := context.Background()
	store := deadletters.New(s.Temporal, deadletters.Options{DataConverter: testenv.Codec(t).DataConverter()})
	scope := deadletters.Filter{TaskQueue: s.TaskQueue}
	const orderID = 7001
	workflowID := s.WorkflowID("wh-loop")

	deliverAndFail(t, s, "wh-loop", orderWithUnknownProduct(t, orderID), activities.FailureProductNotFound)

	// list finds it, by kind and by shop, not by another kind.
	byKind := scope
	byKind.Kind, byKind.Shop, byKind.Topic = activities.FailureProductNotFound, s.Shop, "orders/create"
	byKind.Since = time.Now().Add(-time.Hour)
	list, err := store.List(ctx, byKind)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].WorkflowID != workflowID {
		t.Fatalf("list = %+v, want the one dead letter %s", list, workflowID)
	}
	d := list[0]
	if d.Shop != s.Shop || d.Topic != "orders/create" || d.ResourceID != "gid://shopify/Order/7001" ||
		!strings.Contains(d.Summary, "Sync new order") || d.FailedAt.IsZero() {
		t.Errorf("dead letter %+v lacks shop, topic, resource, summary or failure time", d)
	}
	other := scope
	other.Kind = activities.FailureInvalidPayload
	if got, err := store.List(ctx, other); err != nil || len(got) != 0 {
		t.Errorf("InvalidPayload list = %v, %v; want none", got, err)
	}
	if got, _ := depth(t, s); got != 1 {
		t.Errorf("depth %v, want 1", got)
	}

	// show explains it without the payload, and with it when asked.
	detail, err := store.Show(ctx, workflowID, deadletters.ShowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !detail.Open || len(detail.Error) == 0 || detail.Error[0].Type != activities.FailureProductNotFound ||
		!strings.Contains(detail.Error[0].Message, unknownSKU) {
		t.Errorf("detail: open %v, error %+v; want an open ProductNotFound naming %s", detail.Open, detail.Error, unknownSKU)
	}
	if len(detail.Activities) != 1 || detail.Activities[0].Attempts != 1 ||
		detail.Activities[0].RetryState != "NonRetryableFailure" || detail.Activities[0].Outcome != "failed" {
		t.Errorf("activities %+v, want one MapLineItems that failed for good after 1 attempt", detail.Activities)
	}
	var out bytes.Buffer
	if err := deadletters.WriteDetail(&out, detail); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "shipping_address") || len(detail.Payload) != 0 {
		t.Errorf("show printed the payload without being asked:\n%s", out.String())
	}
	withPayload, err := store.Show(ctx, workflowID, deadletters.ShowOptions{Payload: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(withPayload.Payload, []byte(unknownSKU)) {
		t.Errorf("payload %q does not hold the order", withPayload.Payload)
	}

	// Replaying before the fix fails again: still one dead letter, now
	// the new run.
	early, err := store.ReplayOne(ctx, workflowID, deadletters.ReplayOptions{Wait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if early.Outcome != deadletters.OutcomeFailed || early.Kind != activities.FailureProductNotFound {
		t.Fatalf("early replay %+v, want failed again with ProductNotFound", early)
	}
	s.AwaitVisible(t, fmt.Sprintf(`RunId = %q AND ExecutionStatus = "Failed"`, early.NewRunID), 1)
	list, err = store.List(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].RunID != early.NewRunID {
		t.Fatalf("after a failed replay list = %+v, want one dead letter, run %s", list, early.NewRunID)
	}

	// The fix, then the replay.
	if _, err := s.ERP.PutProduct(erpsim.Product{SKU: unknownSKU, Name: "Added later", ShopifyProductID: 9100}); err != nil {
		t.Fatal(err)
	}
	r, err := store.ReplayOne(ctx, workflowID, deadletters.ReplayOptions{Wait: time.Minute, Reason: "product added"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != deadletters.OutcomeCompleted {
		t.Fatalf("replay %+v, want completed", r)
	}
	requireOneEffect(t, s, orderID)

	if list, err = store.List(ctx, scope); err != nil || len(list) != 0 {
		t.Errorf("after the replay list = %+v, %v; want none", list, err)
	}
	if counts, err := store.Count(ctx, scope); err != nil || len(counts) != 0 {
		t.Errorf("after the replay count = %+v, %v; want none", counts, err)
	}
	if got, series := depth(t, s); got != 0 {
		t.Errorf("depth %v (%v), want 0", got, series)
	}
	if _, err := store.ReplayOne(ctx, workflowID, deadletters.ReplayOptions{}); err == nil {
		t.Error("replaying a completed workflow succeeded, want an error")
	}
	old, err := store.Show(ctx, workflowID, deadletters.ShowOptions{RunID: d.RunID})
	if err != nil {
		t.Fatal(err)
	}
	if old.Open || old.Status != "Failed" || old.LatestRunID != r.NewRunID {
		t.Errorf("first run: open %v, status %s, latest %s; want replayed, Failed, latest %s", old.Open, old.Status, old.LatestRunID, r.NewRunID)
	}
}

// A replay is safe after effects: the invoice was created before the
// fulfillment request failed for good; replaying sends the invoice again,
// under the same entity idempotency key, and the ERP still holds one.
func TestReplayAfterPartialEffectAppliesOnce(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{Config: fastConfig})
	testenv.SeedSampleProducts(t, s.ERP)
	ctx := context.Background()
	store := deadletters.New(s.Temporal, deadletters.Options{DataConverter: testenv.Codec(t).DataConverter()})
	const orderID = 7002
	workflowID := s.WorkflowID("wh-partial")
	if err := s.ERP.SetFaults([]erpsim.Fault{{Method: "POST", PathPrefix: "/v1/fulfillment-requests", Kind: erpsim.FaultError}}); err != nil {
		t.Fatal(err)
	}
	deliverAndFail(t, s, "wh-partial", testenv.SampleOrder(t, orderID), activities.FailureRetriesExhausted)

	detail, err := store.Show(ctx, workflowID, deadletters.ShowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := make([]string, len(detail.Activities))
	for i, a := range detail.Activities {
		outcomes[i] = a.Outcome
	}
	if !slices.Equal(outcomes, []string{"completed", "completed", "failed"}) {
		t.Fatalf("activity outcomes %v, want map and invoice completed, fulfillment failed", outcomes)
	}
	last := detail.Activities[2]
	if last.Attempts != 2 || last.MaxAttempts != 2 || last.RetryState != "MaximumAttemptsReached" ||
		len(last.PreviousFailure) == 0 || len(last.Failure) == 0 || last.LastStartedAt.IsZero() {
		t.Errorf("fulfillment activity %+v, want 2 of 2 attempts, both failures, MaximumAttemptsReached", last)
	}
	if len(last.History) != 2 || last.History[0].Number != 1 || last.History[1].Number != 2 ||
		!strings.Contains(last.History[0].Error, "503") || last.History[1].FailedAt.Before(last.History[0].FailedAt) {
		t.Errorf("fulfillment attempt history %+v, want attempts 1 and 2, each with its 503", last.History)
	}
	if detail.Kind != activities.FailureRetriesExhausted {
		t.Errorf("kind %q, want RetriesExhausted", detail.Kind)
	}

	if err := s.ERP.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	r, err := store.ReplayOne(ctx, workflowID, deadletters.ReplayOptions{Wait: time.Minute})
	if err != nil || r.Outcome != deadletters.OutcomeCompleted {
		t.Fatalf("replay %+v, %v; want completed", r, err)
	}
	if got := len(s.ERPRequests("POST", "/v1/invoices")); got != 2 {
		t.Errorf("%d invoice requests reached the ERP, want 2: the first run's and the replay's", got)
	}
	requireOneEffect(t, s, orderID)
}
