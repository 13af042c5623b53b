package deadletters_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// Fifty ProductNotFound dead letters are replayed by one batch operation
// after the fix: all complete, each order reaches the ERP once, and the
// InvalidPayload dead letters next to them are left alone.
func TestBatchReplayOfOneKind(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{Config: fastConfig})
	testenv.SeedSampleProducts(t, s.ERP)
	ctx := context.Background()
	store := deadletters.New(s.Temporal, deadletters.Options{DataConverter: testenv.Codec(t).DataConverter()})
	scope := deadletters.Filter{TaskQueue: s.TaskQueue}

	const n = 50
	for i := range n {
		body := orderWithUnknownProduct(t, int64(8000+i))
		if got := s.Deliver(t, "orders/create", fmt.Sprintf("wh-batch-%02d", i), body); got != 200 {
			t.Fatalf("webhook %d: ingress answered %d", i, got)
		}
	}
	for i := range 3 {
		deliverAndFail(t, s, fmt.Sprintf("wh-invalid-%d", i), []byte(`{"id": 1}`), activities.FailureInvalidPayload)
	}
	for i := range n {
		if err := s.Wait(t, fmt.Sprintf("wh-batch-%02d", i)); err == nil {
			t.Fatalf("webhook %d: workflow completed, want a ProductNotFound failure", i)
		}
	}
	s.AwaitVisible(t, fmt.Sprintf(`TaskQueue = %q AND ExecutionStatus = "Failed"`, s.TaskQueue), n+3)
	invalidBefore := listKind(t, store, scope, activities.FailureInvalidPayload)
	if len(invalidBefore) != 3 {
		t.Fatalf("%d InvalidPayload dead letters, want 3", len(invalidBefore))
	}
	counts, err := store.Count(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	want := []deadletters.Count{
		{Shop: s.Shop, Kind: activities.FailureInvalidPayload, Count: 3},
		{Shop: s.Shop, Kind: activities.FailureProductNotFound, Count: n},
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("count = %v, want %v", counts, want)
	}

	if _, err := s.ERP.PutProduct(erpsim.Product{SKU: unknownSKU, Name: "Added later", ShopifyProductID: 9100}); err != nil {
		t.Fatal(err)
	}
	letters := listKind(t, store, scope, activities.FailureProductNotFound)
	start := time.Now()
	results, err := store.ReplayBatch(ctx, letters, deadletters.ReplayOptions{Wait: 2 * time.Minute, Reason: "product added"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("batch replay of %d dead letters took %v", len(results), time.Since(start).Round(time.Millisecond))
	if len(results) != n {
		t.Fatalf("%d results, want %d", len(results), n)
	}
	for _, r := range results {
		if r.Outcome != deadletters.OutcomeCompleted || r.NewRunID == "" || r.NewRunID == r.OldRunID {
			t.Errorf("replay of %s: %+v, want completed in a new run", r.WorkflowID, r)
		}
	}
	for i := range n {
		requireOneEffect(t, s, int64(8000+i))
	}

	if left := listKind(t, store, scope, activities.FailureProductNotFound); len(left) != 0 {
		t.Errorf("%d ProductNotFound dead letters left, want none", len(left))
	}
	invalidAfter := listKind(t, store, scope, activities.FailureInvalidPayload)
	if fmt.Sprint(runIDs(invalidAfter)) != fmt.Sprint(runIDs(invalidBefore)) {
		t.Errorf("InvalidPayload dead letters changed: %v, were %v", runIDs(invalidAfter), runIDs(invalidBefore))
	}
	if got, _ := depth(t, s); got != 3 {
		t.Errorf("depth %v, want the 3 InvalidPayload dead letters", got)
	}
}

func listKind(t *testing.T, store *deadletters.Store, scope deadletters.Filter, kind string) []deadletters.DeadLetter {
	t.Helper()
	scope.Kind = kind
	list, err := store.List(context.Background(), scope)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func runIDs(letters []deadletters.DeadLetter) map[string]string {
	ids := map[string]string{}
	for _, d := range letters {
		ids[d.WorkflowID] = d.RunID
	}
	return ids
}
