package ingress_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/internal/testenv"
)

// noopWorkflow is the yardstick of BenchmarkFlashSale: three activities
// in a row that do nothing, what an order's workflow costs Temporal
// without the ERP.
func noopWorkflow(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	for range 3 {
		if err := workflow.ExecuteActivity(ctx, "Noop").Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkFlashSale sends a flash sale's burst of orders/create webhooks
// from 64 concurrent senders, as fast as they are answered, and waits for
// every order to be synced to the ERP. It reports:
//
//   - non_2xx: deliveries not answered 2xx within Shopify's 5 s timeout
//     (goal 0);
//   - ack_p99_ms: the 99th percentile of the ingress's answer (goal < 1000);
//   - orders_per_s: orders synced end to end, first send to last workflow
//     closed;
//   - noop_per_s: the rate of a workflow with three no-op activities on the
//     same server and worker settings, measured in the same run;
//   - orders/noop: their ratio (goal at least 0.8).
//
// It fails unless the ERP's ground truth holds exactly one invoice and one
// fulfillment request per order. Run with:
//
//	go test ./starter/ingress -run '^$' -bench FlashSale -benchtime 1x
func BenchmarkFlashSale(b *testing.B) {
	const (
		orders  = 5000
		senders = 64
	)
	s := testenv.NewStack(b, testenv.Options{})
	testenv.SeedSampleProducts(b, s.ERP)
	ctx := context.Background()

	noopQueue := s.TaskQueue + "-noop"
	w := worker.New(s.Temporal, noopQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(noopWorkflow, workflow.RegisterOptions{Name: "FlashSaleNoop"})
	w.RegisterActivityWithOptions(func(context.Context) error { return nil }, activity.RegisterOptions{Name: "Noop"})
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	defer w.Stop()

	httpClient := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	bodies := make([][]byte, orders)
	for i := range bodies {
		bodies[i] = testenv.SampleOrder(b, int64(70_000_000+i))
	}

	for n := range b.N {
		// The yardstick: as many no-op workflows, started and awaited by
		// as many goroutines.
		noopStart := time.Now()
		if _, _, err := drive(orders, senders, func() (time.Duration, error) {
			run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: noopQueue}, "FlashSaleNoop")
			if err != nil {
				return 0, err
			}
			return 0, run.Get(ctx, nil)
		}); err != nil {
			b.Fatal(err)
		}
		noopRate := orders / time.Since(noopStart).Seconds()

		// The burst.
		ids := make([]string, orders)
		var mu sync.Mutex
		next, non2xx := 0, 0
		start := time.Now()
		_, latencies, err := drive(orders, senders, func() (time.Duration, error) {
			mu.Lock()
			i := next
			next++
			mu.Unlock()
			ids[i] = fmt.Sprintf("flash-%d-%d", n, i)
			req := s.SignedRequest(b, "orders/create", ids[i], bodies[i])
			t0 := time.Now()
			resp, err := httpClient.Do(req)
			lat := time.Since(t0)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if err != nil || resp.StatusCode/100 != 2 {
				mu.Lock()
				non2xx++
				mu.Unlock()
			}
			return lat, nil
		})
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, senders)
		for _, id := range ids {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				// The backlog, not one workflow, takes minutes: no
				// per-workflow deadline.
				wctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
				defer cancel()
				if err := s.Temporal.GetWorkflow(wctx, s.WorkflowID(id), "").Get(wctx, nil); err != nil {
					b.Errorf("%s: %v", id, err)
				}
			})
		}
		wg.Wait()
		orderRate := orders / time.Since(start).Seconds()

		slices.Sort(latencies)
		p99 := latencies[len(latencies)*99/100]
		b.ReportMetric(float64(non2xx), "non_2xx")
		b.ReportMetric(float64(p99.Microseconds())/1000, "ack_p99_ms")
		b.ReportMetric(orderRate, "orders_per_s")
		b.ReportMetric(noopRate, "noop_per_s")
		b.ReportMetric(orderRate/noopRate, "orders/noop")
		b.Logf("%d orders from %d senders: %d not 2xx, ack p99 %v; %.0f orders/s end to end vs %.0f no-op workflows/s = %.2f",
			orders, senders, non2xx, p99, orderRate, noopRate, orderRate/noopRate)

		// Exactly once, by the ERP's ground truth. Each round has its
		// own order IDs only in the first round: later rounds redeliver
		// the same orders under new webhook IDs, which must not add
		// effects either.
		for i := range orders {
			invoices, fulfillments := s.ERP.OrderRecords(s.Shop, int64(70_000_000+i))
			if len(invoices) != 1 || len(fulfillments) != 1 {
				b.Errorf("order %d: %d invoices, %d fulfillment requests", 70_000_000+i, len(invoices), len(fulfillments))
			}
		}
		if non2xx > 0 {
			b.Errorf("%d deliveries not answered 2xx within 5 s", non2xx)
		}
	}
}
