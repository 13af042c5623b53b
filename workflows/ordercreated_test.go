package workflows_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

// requireOneEffect asserts the ERP holds exactly one invoice and one
// fulfillment request for the order.
func requireOneEffect(t *testing.T, s *testenv.Stack, orderID int64) {
	t.Helper()
	invoices, fulfillments := s.ERP.OrderRecords(s.Shop, orderID)
	if len(invoices) != 1 || len(fulfillments) != 1 {
		t.Fatalf("order %d: %d invoices and %d fulfillment requests in the ERP, want exactly 1 and 1", orderID, len(invoices), len(fulfillments))
	}
	if fulfillments[0].InvoiceID != invoices[0].ID {
		t.Errorf("fulfillment request refers to invoice %q, want %q", fulfillments[0].InvoiceID, invoices[0].ID)
	}
}

func TestOrderCreatedSyncsToERP(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)

	if got := s.Deliver(t, "orders/create", "wh-happy", testenv.SampleOrder(t, 1001)); got != http.StatusOK {
		t.Fatalf("ingress answered %d, want 200", got)
	}
	if err := s.Wait(t, "wh-happy"); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	requireOneEffect(t, s, 1001)
	recordHistory(t, s, "wh-happy", "order_created_synced")
	invoices, _ := s.ERP.OrderRecords(s.Shop, 1001)
	if got := len(invoices[0].Lines); got != len(testenv.SampleSKUs) {
		t.Errorf("invoice has %d lines, want %d", got, len(testenv.SampleSKUs))
	}
	if invoices[0].Total != "404.95" || invoices[0].Currency != "USD" {
		t.Errorf("invoice total %s %s, want 404.95 USD", invoices[0].Total, invoices[0].Currency)
	}
}

// The classic duplicate: the fulfillment request commits in the ERP but its
// answer never arrives, so the activity retries; then Shopify redelivers the
// webhook. Exactly one invoice and one fulfillment request must exist.
func TestCommitThenTimeoutAndRedeliveryApplyOnce(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	if err := s.ERP.SetFaults([]erpsim.Fault{{
		Method: http.MethodPost, PathPrefix: "/v1/fulfillment-requests", Kind: erpsim.FaultCommitThenTimeout, Count: 1,
	}}); err != nil {
		t.Fatal(err)
	}

	body := testenv.SampleOrder(t, 2002)
	if got := s.Deliver(t, "orders/create", "wh-classic", body); got != http.StatusOK {
		t.Fatalf("ingress answered %d, want 200", got)
	}
	if err := s.Wait(t, "wh-classic"); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	if got := len(s.ERPRequests(http.MethodPost, "/v1/fulfillment-requests")); got < 2 {
		t.Fatalf("%d fulfillment requests reached the ERP, want the lost one and its retry", got)
	}
	if got := s.Deliver(t, "orders/create", "wh-classic", body); got != http.StatusOK {
		t.Fatalf("redelivery answered %d, want 200", got)
	}
	requireOneEffect(t, s, 2002)
	recordHistory(t, s, "wh-classic", "order_created_fulfillment_retried")
}

func TestSameOrderUnderThreeWebhookIDsAppliesOnce(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	body := testenv.SampleOrder(t, 3003)
	ids := []string{"wh-a", "wh-b", "wh-c"}
	for _, id := range ids {
		if got := s.Deliver(t, "orders/create", id, body); got != http.StatusOK {
			t.Fatalf("webhook %s: ingress answered %d", id, got)
		}
	}
	for _, id := range ids {
		if err := s.Wait(t, id); err != nil {
			t.Fatalf("workflow of %s failed: %v", id, err)
		}
	}
	requireOneEffect(t, s, 3003)
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	if err := s.ERP.SetFaults([]erpsim.Fault{{
		Method: http.MethodPost, PathPrefix: "/v1/invoices", Kind: erpsim.FaultRateLimit, RetryAfter: "2", Count: 1,
	}}); err != nil {
		t.Fatal(err)
	}
	if got := s.Deliver(t, "orders/create", "wh-429", testenv.SampleOrder(t, 4004)); got != http.StatusOK {
		t.Fatalf("ingress answered %d", got)
	}
	if err := s.Wait(t, "wh-429"); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	reqs := s.ERPRequests(http.MethodPost, "/v1/invoices")
	if len(reqs) != 2 || reqs[0].Status != http.StatusTooManyRequests || reqs[1].Status != http.StatusCreated {
		t.Fatalf("invoice requests %+v, want a 429 then a 201", reqs)
	}
	if gap := reqs[1].Start.Sub(reqs[0].End); gap < 2*time.Second {
		t.Errorf("retry came %v after the 429, want at least Retry-After: 2s", gap)
	}
	requireOneEffect(t, s, 4004)
	recordHistory(t, s, "wh-429", "order_created_rate_limited")
}

func TestUnknownProductFailsAtOnceWithProductNotFound(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	// The ERP knows every product but one.
	testenv.SeedSampleProducts(t, s.ERP)
	body := testenv.SampleOrder(t, 5005, append(testenv.SampleSKUs[:4:4], "SKU-NOBODY-KNOWS")...)

	if got := s.Deliver(t, "orders/create", "wh-unknown", body); got != http.StatusOK {
		t.Fatalf("ingress answered %d", got)
	}
	err := s.Wait(t, "wh-unknown")
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != activities.FailureProductNotFound {
		t.Fatalf("workflow ended with %v, want an ApplicationError of type ProductNotFound", err)
	}
	if !strings.Contains(err.Error(), "SKU-NOBODY-KNOWS") {
		t.Errorf("error %q does not name the product", err)
	}

	// The dead letter keeps the payload, the error and the attempt count.
	ctx := context.Background()
	iter := s.Temporal.GetWorkflowHistory(ctx, s.WorkflowID("wh-unknown"), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var sawPayload, sawFailure bool
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := ev.GetWorkflowExecutionStartedEventAttributes(); a != nil {
			// Encrypted in the history; the codec gives it back.
			decoded, err := testenv.Codec(t).Decode(a.GetInput().GetPayloads())
			if err != nil {
				t.Fatal(err)
			}
			sawPayload = strings.Contains(string(decoded[0].GetData()), "SKU-NOBODY-KNOWS")
		}
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && a.GetAttempt() != 1 {
			t.Errorf("an activity ran attempt %d; ProductNotFound must not be retried", a.GetAttempt())
		}
		if a := ev.GetWorkflowExecutionFailedEventAttributes(); a != nil {
			sawFailure = a.GetFailure().GetApplicationFailureInfo().GetType() == activities.FailureProductNotFound
		}
	}
	if !sawPayload || !sawFailure {
		t.Errorf("history: payload kept %v, ProductNotFound failure recorded %v; want both", sawPayload, sawFailure)
	}
	if got := len(s.ERPRequests(http.MethodPost, "/v1/invoices")); got != 0 {
		t.Errorf("%d invoice requests reached the ERP, want none", got)
	}
	recordHistory(t, s, "wh-unknown", "order_created_product_not_found")
}
