package workermetrics_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// The processing clock starts at X-Shopify-Triggered-At, or at receipt
// without it, and stops when the workflow completes; a dead letter is not
// observed, nor is its replay, which would otherwise report the event's
// whole age.
func TestProcessingLatencyFromTriggerToCompletion(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)

	// Triggered 40 s ago (Shopify redelivered it late): 40 s and more.
	req := s.SignedRequest(t, "orders/create", "wh-late", testenv.SampleOrder(t, 11))
	req.Header.Set(webhook.HeaderTriggeredAt, time.Now().Add(-40*time.Second).UTC().Format(time.RFC3339Nano))
	deliver(t, req)
	if err := s.Wait(t, "wh-late"); err != nil {
		t.Fatal(err)
	}
	count, sum := processing(t, s)
	if count != 1 || sum < 40 || sum > 60 {
		t.Fatalf("after a webhook triggered 40 s ago: count %d, sum %.1f s; want 1 and 40-60 s", count, sum)
	}

	// No header: from receipt, with the ERP taking 300 ms a request.
	if err := s.ERP.SetFaults([]erpsim.Fault{{Kind: erpsim.FaultLatency, Latency: 300 * time.Millisecond}}); err != nil {
		t.Fatal(err)
	}
	s.Deliver(t, "orders/create", "wh-now", testenv.SampleOrder(t, 12))
	if err := s.Wait(t, "wh-now"); err != nil {
		t.Fatal(err)
	}
	count, sum2 := processing(t, s)
	if d := sum2 - sum; count != 2 || d < 0.9 || d > 20 {
		t.Fatalf("after a webhook without Triggered-At: count %d, took %.2f s; want 2 and at least 3 ERP calls of 300 ms", count, d)
	}
	if err := s.ERP.SetFaults(nil); err != nil {
		t.Fatal(err)
	}

	// A dead letter, then its replay once the product exists.
	req = s.SignedRequest(t, "orders/create", "wh-dead", testenv.SampleOrder(t, 13, "LATE-SKU"))
	req.Header.Set(webhook.HeaderTriggeredAt, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano))
	deliver(t, req)
	if err := s.Wait(t, "wh-dead"); err == nil {
		t.Fatal("workflow succeeded, want ProductNotFound")
	}
	if _, err := s.ERP.PutProduct(erpsim.Product{SKU: "LATE-SKU", Name: "Late", ShopifyProductID: 9999}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := deadletters.New(s.Temporal, deadletters.Options{}).ReplayOne(ctx, s.WorkflowID("wh-dead"), deadletters.ReplayOptions{Wait: time.Minute})
	if err != nil || r.Outcome != deadletters.OutcomeCompleted {
		t.Fatalf("replay: %+v, %v", r, err)
	}
	if count, _ := processing(t, s); count != 2 {
		t.Fatalf("after a dead letter and its replay: count %d, want still 2", count)
	}
}

func deliver(t *testing.T, req *http.Request) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ingress answered %d", resp.StatusCode)
	}
}

// processing returns the orders/create processing histogram's count and sum.
func processing(t *testing.T, s *testenv.Stack) (uint64, float64) {
	t.Helper()
	families, err := s.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != workermetrics.ProcessingMetric {
			continue
		}
		for _, m := range f.GetMetric() {
			if label(m, "topic") == "orders/create" {
				return m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
			}
		}
	}
	return 0, 0
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// counter returns the one series of a counter family in the stack's
// registry, summed over its labels, as a collector for testutil.
func counter(t *testing.T, s *testenv.Stack, name string) prometheus.Collector {
	t.Helper()
	families, err := s.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: "sum"})
	for _, f := range families {
		if f.GetName() == name {
			for _, m := range f.GetMetric() {
				c.Add(m.GetCounter().GetValue())
			}
		}
	}
	return c
}

// labelValues returns the values of one label across a family's series.
func labelValues(t *testing.T, s *testenv.Stack, name, labelName string) []string {
	t.Helper()
	families, err := s.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range families {
		if f.GetName() == name {
			for _, m := range f.GetMetric() {
				out = append(out, label(m, labelName))
			}
		}
	}
	return out
}
