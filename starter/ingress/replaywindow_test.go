package ingress_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/workflows"
)

// With a replay window, a webhook triggered before it is recorded as a
// StaleWebhook workflow, applying nothing (reconciliation converges
// instead), and a fresh one is processed as usual.
func TestReplayWindowRecordsStaleWebhooks(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	h := ingress.NewHandler(ingress.Config{
		Temporal: s.Temporal, TaskQueue: s.TaskQueue, ReplayWindow: time.Hour,
		Secrets: ingress.ShopSecrets{s.Shop: {[]byte(testenv.Secret)}},
	})
	send := func(webhookID string, orderID int64, triggeredAt time.Time) {
		t.Helper()
		req, err := webhook.NewRequest(context.Background(), "/webhooks/shopify", []byte(testenv.Secret), webhook.Delivery{
			Topic: "orders/create", Shop: s.Shop, APIVersion: admin.DefaultAPIVersion, WebhookID: webhookID,
			TriggeredAt: triggeredAt, Body: testenv.SampleOrder(t, orderID),
		})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: ingress answered %d", webhookID, rec.Code)
		}
		if err := s.Wait(t, webhookID); err != nil {
			t.Fatalf("%s: %v", webhookID, err)
		}
	}
	send("wh-stale", 7401, time.Now().Add(-2*time.Hour))
	send("wh-fresh", 7402, time.Now().Add(-time.Minute))

	for id, want := range map[string]string{"wh-stale": workflows.StaleWebhookWorkflow, "wh-fresh": "OrderCreated"} {
		desc, err := s.Temporal.DescribeWorkflow(context.Background(), s.WorkflowID(id), "")
		if err != nil {
			t.Fatal(err)
		}
		if got := desc.RawResponse.GetWorkflowExecutionInfo().GetType().GetName(); got != want {
			t.Errorf("%s ran %s, want %s", id, got, want)
		}
	}
	if got := len(s.ERPRequests(http.MethodPost, "/v1/invoices")); got != 1 {
		t.Errorf("%d invoices requested, want 1: the stale webhook applies nothing", got)
	}
}
