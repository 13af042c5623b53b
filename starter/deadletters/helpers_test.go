package deadletters_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
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
	s.AwaitVisible(t, fmt.Sprintf(`WorkflowId = %q AND ExecutionStatus = "Failed"`, s.WorkflowID(webhookID)), 1)
}

// requireOneEffect asserts the ERP holds exactly one invoice and one
// fulfillment request for the order.
func requireOneEffect(t *testing.T, s *testenv.Stack, orderID int64) {
	t.Helper()
	invoices, fulfillments := s.ERP.OrderRecords(s.Shop, orderID)
	if len(invoices) != 1 || len(fulfillments) != 1 {
		t.Fatalf("order %d: %d invoices and %d fulfillment requests in the ERP, want exactly 1 and 1", orderID, len(invoices), len(fulfillments))
	}
}

// depth scrapes a fresh depth collector scoped to the stack's task queue
// and returns the total of shopflow_dead_letters and its series.
func depth(t *testing.T, s *testenv.Stack) (float64, []string) {
	t.Helper()
	got := scrape(t, deadletters.NewDepthCollector(deadletters.New(s.Temporal, deadletters.Options{DataConverter: testenv.Codec(t).DataConverter()}),
		deadletters.DepthOptions{Scope: deadletters.Filter{TaskQueue: s.TaskQueue}}))
	var total float64
	var series []string
	for name, v := range got {
		if strings.HasPrefix(name, "shopflow_dead_letters{") {
			total += v
			series = append(series, name)
		}
	}
	return total, series
}

// scrape collects c through a registry, as /metrics would, and returns
// each series as name{label=value,...} with its value.
func scrape(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			out[f.GetName()+"{"+strings.Join(labels, ",")+"}"] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	return out
}
