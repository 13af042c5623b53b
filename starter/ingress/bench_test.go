package ingress_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/workflows"
)

// BenchmarkIngressVersusRawStarts measures webhook ingress throughput and
// ack latency at a fixed concurrency, next to the rate at which the same
// Temporal server accepts raw StartWorkflow calls, measured in the same run
// on a file-backed dev server like the dev stack's. The two are measured in
// alternating rounds so that drift in the server (SQLite growing, the other
// core busy) affects both alike. Run with:
//
//	go test ./starter/ingress -run '^$' -bench IngressVersusRaw -benchtime 1x
func BenchmarkIngressVersusRawStarts(b *testing.B) {
	const (
		concurrency = 32
		rounds      = 3
		perRound    = 300
	)
	ctx := context.Background()
	srv, err := devserver.Start(ctx, devserver.Options{DBFile: filepath.Join(b.TempDir(), "temporal.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Stop()
	c := srv.Client()
	taskQueue := "bench-no-worker" // workflows stay pending: only starts are measured

	reg := prometheus.NewRegistry()
	h := ingress.NewHandler(ingress.Config{
		Temporal: c, TaskQueue: taskQueue,
		Secrets: ingress.ShopSecrets{testenv.Shop: {[]byte(testenv.Secret)}},
		Logger:  logging.NewTo(io.Discard, "bench", 0), Metrics: ingress.NewMetrics(reg),
	})
	httpSrv := httptest.NewServer(ingress.NewMux(h, c, reg))
	defer httpSrv.Close()
	url := httpSrv.URL + "/webhooks/shopify"
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}
	body := testenv.SampleOrder(b, 42)

	var seq atomic.Int64
	rawStart := func() (time.Duration, error) {
		n := seq.Add(1)
		t0 := time.Now()
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID:                                       fmt.Sprintf("raw/%d", n),
			TaskQueue:                                taskQueue,
			WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
			WorkflowExecutionErrorWhenAlreadyStarted: true,
			TypedSearchAttributes: temporal.NewSearchAttributes(
				workflows.ShopDomainKey.ValueSet(testenv.Shop), workflows.WebhookTopicKey.ValueSet("orders/create")),
		}, "OrderCreated", workflows.Webhook{Shop: testenv.Shop, Topic: "orders/create", ID: "raw", Payload: body})
		return time.Since(t0), err
	}
	webhookStart := func() (time.Duration, error) {
		n := seq.Add(1)
		req := testenv.SignedRequest(b, url, "orders/create", fmt.Sprintf("bench-%d", n), body)
		t0 := time.Now()
		resp, err := httpClient.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("ingress answered %d", resp.StatusCode)
		}
		return time.Since(t0), nil
	}

	// Warm up both paths: connections, the server's caches.
	if _, _, err := drive(50, concurrency, rawStart); err != nil {
		b.Fatal(err)
	}
	if _, _, err := drive(50, concurrency, webhookStart); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	for range b.N {
		var rawTime, hookTime time.Duration
		var hookLatencies []time.Duration
		for range rounds {
			elapsed, _, err := drive(perRound, concurrency, rawStart)
			if err != nil {
				b.Fatal(err)
			}
			rawTime += elapsed
			elapsed, lat, err := drive(perRound, concurrency, webhookStart)
			if err != nil {
				b.Fatal(err)
			}
			hookTime += elapsed
			hookLatencies = append(hookLatencies, lat...)
		}
		total := float64(rounds * perRound)
		rawRate := total / rawTime.Seconds()
		hookRate := total / hookTime.Seconds()
		slices.Sort(hookLatencies)
		p50 := hookLatencies[len(hookLatencies)/2]
		p99 := hookLatencies[len(hookLatencies)*99/100]
		b.ReportMetric(rawRate, "raw_starts/s")
		b.ReportMetric(hookRate, "webhooks/s")
		b.ReportMetric(hookRate/rawRate, "ingress/raw")
		b.ReportMetric(float64(p50.Microseconds())/1000, "ack_p50_ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "ack_p99_ms")
		b.Logf("concurrency %d, %d starts each: raw %.0f starts/s; ingress %.0f webhooks/s = %.2f of raw; ack p50 %v p99 %v",
			concurrency, rounds*perRound, rawRate, hookRate, hookRate/rawRate, p50, p99)
	}
}

// drive runs n calls of fn on the given number of goroutines and returns
// the wall time and each call's latency.
func drive(n, concurrency int, fn func() (time.Duration, error)) (time.Duration, []time.Duration, error) {
	var (
		next      atomic.Int64
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, n)
		firstErr  error
		wg        sync.WaitGroup
	)
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				lat, err := fn()
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				latencies = append(latencies, lat)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return time.Since(start), latencies, firstErr
}
