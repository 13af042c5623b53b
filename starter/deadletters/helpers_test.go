package deadletters_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// unknownSKU is a product the ERP does not know until a test adds it.
const unknownSKU = "SKU-ADDED-LATER"

// orderWithUnknownProduct is a sample order one of whose line items the
// ERP cannot map until unknownSKU is added.
func orderWithUnknownProduct(t *testing.T, orderID int64) []byte {
	return testenv.SampleOrder(t, orderID, append(testenv.SampleSKUs[:4:4], unknownSKU)...)
}

// deliverAndFail delivers a webhook and waits for its workflow to fail
// with the given kind.
func deliverAndFail(t *testing.T, s *testenv.Stack, webhookID string, body []byte, kind string) {
	t.Helper()
	if got := s.Deliver(t, "orders/create", webhookID, body); got != http.StatusOK {
		t.Fatalf("webhook %s: ingress answered %d", webhookID, got)
	}
	err := s.Wait(t, webhookID)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != kind {
		t.Fatalf("webhook %s: workflow ended with %v, want a %s failure", webhookID, err, kind)
	}
}

// requireOneEffect asserts the ERP holds exactly one invoice and one
// fulfillment request for the order.
func requireOneEffect(t *testing.T, s *testenv.Stack, orderID int64) {
	t.Helper()
	invoices, fulfillments := s.ERP.OrderRecords(testenv.Shop, orderID)
	if len(invoices) != 1 || len(fulfillments) != 1 {
		t.Fatalf("order %d: %d invoices and %d fulfillment requests in the ERP, want exactly 1 and 1", orderID, len(invoices), len(fulfillments))
	}
}

// depth scrapes a fresh depth collector scoped to the stack's task queue
// and returns the total of shopflow_dead_letters and its series.
func depth(t *testing.T, s *testenv.Stack) (float64, []string) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(deadletters.NewDepthCollector(deadletters.New(s.Temporal, deadletters.Options{}),
		deadletters.DepthOptions{Scope: deadletters.Filter{TaskQueue: s.TaskQueue}}))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	var series []string
	for _, f := range families {
		if f.GetName() != "shopflow_dead_letters" {
			continue
		}
		for _, m := range f.GetMetric() {
			total += m.GetGauge().GetValue()
			labels := ""
			for _, l := range m.GetLabel() {
				labels += l.GetName() + "=" + l.GetValue() + " "
			}
			series = append(series, labels)
		}
	}
	return total, series
}
