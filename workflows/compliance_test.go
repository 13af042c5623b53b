package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/internal/shopwork"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// complianceBody is one of Shopify's example payloads from
// testdata/compliance, about the given shop, with fields replaced.
func complianceBody(t *testing.T, name, shop string, set map[string]any) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "compliance", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := body["shop_domain"]; ok {
		body["shop_domain"] = shop
	}
	for k, v := range set {
		body[k] = v
	}
	out, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func deliver(t *testing.T, s *testenv.Stack, topic, webhookID string, body []byte) {
	t.Helper()
	if code := s.Deliver(t, topic, webhookID, body); code != http.StatusOK {
		t.Fatalf("ingress answered %d to %s", code, topic)
	}
}

// startHangingOrder starts an order workflow on a task queue no worker
// polls, with the search attributes an order workflow has: it stays
// running, as an order still retrying would.
func startHangingOrder(t *testing.T, s *testenv.Stack, orderID int64) string {
	t.Helper()
	id := s.WorkflowID(fmt.Sprintf("wh-hanging-%d", orderID))
	_, err := s.Temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID: id, TaskQueue: s.TaskQueue + "-nobody",
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.ShopDomainKey.ValueSet(s.Shop), workflows.ResourceIDKey.ValueSet(workflows.OrderGID(orderID))),
	}, "OrderCreated", workflows.Webhook{Shop: s.Shop, Topic: "orders/create", Payload: testenv.SampleOrder(t, orderID)})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// awaitGone waits until Temporal no longer knows the workflow.
func awaitGone(t *testing.T, c client.Client, workflowID string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := c.DescribeWorkflow(context.Background(), workflowID, "")
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("workflow %s still exists (%v)", workflowID, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func status(t *testing.T, c client.Client, workflowID string) enumspb.WorkflowExecutionStatus {
	t.Helper()
	desc, err := c.DescribeWorkflow(context.Background(), workflowID, "")
	if err != nil {
		t.Fatalf("describing %s: %v", workflowID, err)
	}
	return desc.RawResponse.GetWorkflowExecutionInfo().GetStatus()
}

// decodeInput decodes a workflow's input through the test codec.
func decodeInput(t *testing.T, s *testenv.Stack, workflowID string) error {
	t.Helper()
	iter := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	ev, err := iter.Next()
	if err != nil {
		t.Fatal(err)
	}
	var hook workflows.Webhook
	return testenv.Codec(t).DataConverter().FromPayloads(ev.GetWorkflowExecutionStartedEventAttributes().GetInput(), &hook)
}

// Done when 3: two customers of one shop; a data request reports the
// workflows, dead letters and ERP effects of the first one's orders only,
// and redacting them deletes their workflows (waiting for the one still
// running) and leaves the second customer's.
func TestCustomerDataRequestAndRedactTouchOnlyThatCustomer(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	deliver(t, s, "orders/create", "wh-c1-synced", testenv.SampleOrder(t, 8101))
	deliver(t, s, "orders/create", "wh-c1-dead", testenv.SampleOrder(t, 8102, "NO-SUCH-SKU"))
	deliver(t, s, "orders/create", "wh-c2-synced", testenv.SampleOrder(t, 8103))
	if err := s.Wait(t, "wh-c1-synced"); err != nil {
		t.Fatal(err)
	}
	if err := s.Wait(t, "wh-c1-dead"); err == nil {
		t.Fatal("the order with an unknown SKU did not fail")
	}
	if err := s.Wait(t, "wh-c2-synced"); err != nil {
		t.Fatal(err)
	}
	hanging := startHangingOrder(t, s, 8104)
	s.AwaitVisible(t, fmt.Sprintf(`ShopDomain = %q AND ResourceID IS NOT NULL`, s.Shop), 4)
	customer1 := []int64{8101, 8102, 8104}

	deliver(t, s, "customers/data_request", "wh-data-request", complianceBody(t, "customers_data_request", s.Shop,
		map[string]any{"orders_requested": customer1, "customer": map[string]any{"id": 1}}))
	var report workflows.CustomerDataReport
	ctx := context.Background()
	if err := s.Temporal.GetWorkflow(ctx, s.WorkflowID("wh-data-request"), "").Get(ctx, &report); err != nil {
		t.Fatalf("data request: %v", err)
	}
	var ids []string
	for _, w := range report.Workflows {
		ids = append(ids, w.WorkflowID)
	}
	slices.Sort(ids)
	want := []string{s.WorkflowID("wh-c1-dead"), s.WorkflowID("wh-c1-synced"), hanging}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("report lists workflows %v, want %v", ids, want)
	}
	if report.DeadLetters != 1 || report.CustomerID != 1 {
		t.Errorf("report: %d dead letters, customer %d; want 1, 1", report.DeadLetters, report.CustomerID)
	}
	kinds := map[string]int64{}
	for _, e := range report.ERPEffects {
		kinds[e.Kind] = e.OrderID
		if e.ERPID == "" || e.WorkflowID != s.WorkflowID("wh-c1-synced") {
			t.Errorf("ERP effect %+v", e)
		}
	}
	if len(report.ERPEffects) != 2 || kinds["invoice"] != 8101 || kinds["fulfillment_request"] != 8101 {
		t.Errorf("ERP effects %+v, want the invoice and fulfillment request of 8101", report.ERPEffects)
	}
	recordHistory(t, s, "wh-data-request", "customer_data_request")

	deliver(t, s, "customers/redact", "wh-redact", complianceBody(t, "customers_redact", s.Shop,
		map[string]any{"orders_to_redact": customer1, "customer": map[string]any{"id": 1}}))
	awaitGone(t, s.Temporal, s.WorkflowID("wh-c1-synced"))
	awaitGone(t, s.Temporal, s.WorkflowID("wh-c1-dead"))
	if got := status(t, s.Temporal, s.WorkflowID("wh-redact")); got != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("redact is %v while an order's workflow still runs, want it waiting", got)
	}
	if got := status(t, s.Temporal, hanging); got != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("the running order workflow is %v: redact must not touch it", got)
	}
	if err := s.Temporal.TerminateWorkflow(ctx, hanging, "", "test: the order finished"); err != nil {
		t.Fatal(err)
	}
	if err := s.Wait(t, "wh-redact"); err != nil {
		t.Fatalf("redact: %v", err)
	}
	awaitGone(t, s.Temporal, hanging)
	if got := status(t, s.Temporal, s.WorkflowID("wh-c2-synced")); got != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Errorf("the other customer's workflow is %v", got)
	}
	if err := decodeInput(t, s, s.WorkflowID("wh-c2-synced")); err != nil {
		t.Errorf("the other customer's workflow no longer decodes: %v", err)
	}
	recordHistory(t, s, "wh-redact", "customer_redact_waited")
}

// scheduleFor creates a paused schedule, optionally with a memo.
func scheduleFor(t *testing.T, c client.Client, id string, memo map[string]any) {
	t.Helper()
	_, err := c.ScheduleClient().Create(context.Background(), client.ScheduleOptions{
		ID:     id,
		Spec:   client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Hour}}},
		Paused: true,
		Memo:   memo,
		Action: &client.ScheduleWorkflowAction{ID: id + "-run", Workflow: "ReconcileInventory", TaskQueue: "nobody-polls"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.ScheduleClient().GetHandle(context.Background(), id).Delete(context.Background()) })
}

// awaitSchedules waits until listing shows the shop's schedules.
func awaitSchedules(t *testing.T, s *testenv.Stack, want int) {
	t.Helper()
	w := shopwork.Work{Client: s.Temporal, DataConverter: testenv.Codec(t).DataConverter(), Shop: s.Shop, ShopAttribute: workflows.ShopDomainKey.GetName()}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ids, err := w.Schedules(context.Background())
		if err == nil && len(ids) >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("schedules of %s: %v, %v; want %d", s.Shop, ids, err, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func scheduleState(t *testing.T, c client.Client, id string) (exists, paused bool, note string) {
	t.Helper()
	desc, err := c.ScheduleClient().GetHandle(context.Background(), id).Describe(context.Background())
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return false, false, ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return true, desc.Schedule.State.Paused, desc.Schedule.State.Note
}

// startBackfill starts a backfill of the shop on the backfill task queue,
// as `starter backfill` does; no worker polls it here, so it stays running.
func startBackfill(t *testing.T, s *testenv.Stack, name string) string {
	t.Helper()
	id := workflows.BackfillWorkflowID("metafields", s.Shop, name)
	_, err := s.Temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID: id, TaskQueue: backfill.TaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.ShopDomainKey.ValueSet(s.Shop)),
	}, "BackfillMetafields", backfill.Input{})
	if err != nil {
		t.Fatal(err)
	}
	s.AwaitVisible(t, fmt.Sprintf(`WorkflowId = %q AND ExecutionStatus = "Running"`, id), 1)
	return id
}

// Done when 2: after shop/redact for one shop, its histories no longer
// decode and another shop's still do; its schedules are gone (found by ID
// and by memo) and its backfills stopped.
func TestShopRedactDestroysOnlyThatShopsData(t *testing.T) {
	if workflows.BackfillTaskQueue != backfill.TaskQueue {
		t.Fatalf("workflows.BackfillTaskQueue %q is not backfill.TaskQueue %q", workflows.BackfillTaskQueue, backfill.TaskQueue)
	}
	a := testenv.NewStack(t, testenv.Options{})
	b := testenv.NewStack(t, testenv.Options{})
	for _, s := range []*testenv.Stack{a, b} {
		testenv.SeedSampleProducts(t, s.ERP)
		deliver(t, s, "orders/create", "wh-order", testenv.SampleOrder(t, 8201))
		if err := s.Wait(t, "wh-order"); err != nil {
			t.Fatal(err)
		}
		scheduleFor(t, s.Temporal, "reconcile/"+s.Shop+"/inventory", nil)
	}
	byMemo := fmt.Sprintf("nightly-stock-%d", time.Now().UnixNano())
	scheduleFor(t, a.Temporal, byMemo, map[string]any{"shop": a.Shop})
	awaitSchedules(t, a, 2)
	awaitSchedules(t, b, 1)
	backfillID := startBackfill(t, a, "redact")

	const shopID = 424242
	deliver(t, a, "shop/redact", "wh-shop-redact", complianceBody(t, "shop_redact", a.Shop, map[string]any{"shop_id": shopID}))
	if err := a.Wait(t, "wh-shop-redact"); err != nil {
		t.Fatalf("shop/redact: %v", err)
	}
	ctx := context.Background()
	if err := a.Temporal.GetWorkflow(ctx, workflows.ShopDataKeyWorkflowID(shopID), "").Get(ctx, nil); err != nil {
		t.Fatalf("destroying the data key: %v", err)
	}
	if *recordHistories {
		// ShopRedact's own history is under the key it destroyed: only the
		// key's workflow (under the shared key) can be recorded.
		testenv.RecordHistory(t, a.Temporal, workflows.ShopDataKeyWorkflowID(shopID), historyDir, "destroy_shop_data_key")
	}

	if err := decodeInput(t, a, a.WorkflowID("wh-order")); !errors.Is(err, encryption.ErrKeyDestroyed) {
		t.Errorf("the redacted shop's order decodes: %v, want ErrKeyDestroyed", err)
	}
	if err := decodeInput(t, b, b.WorkflowID("wh-order")); err != nil {
		t.Errorf("the other shop's order no longer decodes: %v", err)
	}
	for _, id := range []string{"reconcile/" + a.Shop + "/inventory", byMemo} {
		if exists, _, _ := scheduleState(t, a.Temporal, id); exists {
			t.Errorf("schedule %s of the redacted shop still exists", id)
		}
	}
	if exists, _, _ := scheduleState(t, b.Temporal, "reconcile/"+b.Shop+"/inventory"); !exists {
		t.Error("the other shop's schedule was deleted")
	}
	if got := status(t, a.Temporal, backfillID); got != enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED {
		t.Errorf("the redacted shop's backfill is %v, want terminated", got)
	}
}

// app/uninstalled pauses the shop's schedules and cancels its backfills;
// resuming (what `starter shop resume` does on reinstall) unpauses the
// schedules it paused and leaves one an operator paused.
func TestAppUninstalledPausesAndResumes(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	ours := "reconcile/" + s.Shop + "/inventory"
	scheduleFor(t, s.Temporal, ours, nil)
	if err := s.Temporal.ScheduleClient().GetHandle(context.Background(), ours).Unpause(context.Background(), client.ScheduleUnpauseOptions{}); err != nil {
		t.Fatal(err)
	}
	operators := "reconcile/" + s.Shop + "/prices"
	scheduleFor(t, s.Temporal, operators, nil) // paused by an operator
	awaitSchedules(t, s, 2)
	backfillID := startBackfill(t, s, "uninstall")

	deliver(t, s, "app/uninstalled", "wh-uninstalled", complianceBody(t, "app_uninstalled", s.Shop, nil))
	if err := s.Wait(t, "wh-uninstalled"); err != nil {
		t.Fatalf("app/uninstalled: %v", err)
	}
	if _, paused, note := scheduleState(t, s.Temporal, ours); !paused || note != shopwork.UninstalledNote {
		t.Errorf("schedule after uninstall: paused %v, note %q", paused, note)
	}
	// No worker runs the backfill here, so its cancellation stays requested.
	if !cancelRequested(t, s, backfillID) {
		t.Error("the backfill's cancellation was not requested")
	}

	w := shopwork.Work{Client: s.Temporal, DataConverter: testenv.Codec(t).DataConverter(), Shop: s.Shop, ShopAttribute: workflows.ShopDomainKey.GetName()}
	resumed, err := w.ResumeSchedules(context.Background(), shopwork.UninstalledNote)
	if err != nil || !slices.Equal(resumed, []string{ours}) {
		t.Fatalf("resumed %v, %v; want %s only", resumed, err, ours)
	}
	if _, paused, _ := scheduleState(t, s.Temporal, ours); paused {
		t.Error("schedule still paused after resume")
	}
	if _, paused, _ := scheduleState(t, s.Temporal, operators); !paused {
		t.Error("resume unpaused a schedule an operator paused")
	}
	recordHistory(t, s, "wh-uninstalled", "app_uninstalled")
}

// cancelRequested reports whether the workflow's history holds a
// cancellation request.
func cancelRequested(t *testing.T, s *testenv.Stack, workflowID string) bool {
	t.Helper()
	iter := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		if ev.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED {
			return true
		}
	}
	return false
}

// A compliance webhook about another shop than the one that signed it is
// a dead letter, not an erasure of someone else's data.
func TestComplianceWebhookForAnotherShopIsInvalid(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	deliver(t, s, "shop/redact", "wh-wrong-shop", complianceBody(t, "shop_redact", "someone-else.myshopify.com", nil))
	var appErr *temporal.ApplicationError
	if err := s.Wait(t, "wh-wrong-shop"); !errors.As(err, &appErr) || appErr.Type() != activities.FailureInvalidPayload {
		t.Fatalf("shop/redact for another shop ended with %v, want InvalidPayload", err)
	}
	if !strings.Contains(appErr.Error(), "someone-else") {
		t.Errorf("error does not say which shop: %v", appErr)
	}
}
