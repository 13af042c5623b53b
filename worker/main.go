// Command worker runs shopflow's workflows and activities: it polls the
// task queues of the kinds of work it is given (webhooks, reconcile,
// backfill; all by default) and calls the ERP and Shopify on the workflows'
// behalf. What each queue runs is said in package worker/wiring.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/downstream"
	"github.com/shopflow/shopflow/internal/env"
	"github.com/shopflow/shopflow/internal/httpserver"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/temporalclient"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run() error {
	var temporal temporalclient.Options
	temporal.RegisterFlags(flag.CommandLine)
	erpURL := flag.String("erp-url", env.Or("SHOPFLOW_ERP_URL", "http://127.0.0.1:8090"), "base URL of the ERP API (env SHOPFLOW_ERP_URL)")
	erpTimeout := flag.Duration("erp-timeout", 10*time.Second, "timeout of one ERP request")
	metricsAddr := flag.String("metrics-addr", env.Or("SHOPFLOW_WORKER_METRICS", "127.0.0.1:9092"), "address of the worker's /metrics (env SHOPFLOW_WORKER_METRICS)")
	shopifyURL := flag.String("shopify-url", env.Or("SHOPFLOW_SHOPIFY_URL", ""), "base URL of the Shopify Admin API, e.g. the simulator's; empty for https://{shop} (env SHOPFLOW_SHOPIFY_URL)")
	queueList := flag.String("queues", env.Or("SHOPFLOW_WORKER_QUEUES", "all"), "kinds of work to poll, comma-separated: webhooks, reconcile, backfill, or all (env SHOPFLOW_WORKER_QUEUES)")
	locationMap := flag.String("locations", os.Getenv("SHOPFLOW_LOCATIONS"), "per shop, Shopify location ID to ERP location: shop=123:WH-A,456:WH-B;... (env SHOPFLOW_LOCATIONS; a shop not listed maps each location to its numeric ID)")
	backfillCap := flag.Float64("backfill-max-points", 0, "cap on the Shopify points a second backfills spend per shop in this process; 0 for none (headroom for real-time work)")
	backfillReserve := flag.Float64("backfill-reserve", 0.2, "share of each shop's Shopify bucket, in [0, 1), backfills never take: real-time work always finds it")
	queueSuffix := flag.String("task-queue-suffix", os.Getenv("SHOPFLOW_TASK_QUEUE_SUFFIX"), "appended to the name of every task queue polled, so that a test (or a second environment) sharing a Temporal namespace polls queues of its own; whatever starts the workflows must use the same names; empty for the production names (env SHOPFLOW_TASK_QUEUE_SUFFIX)")
	maxAttempts := flag.Int("max-attempts", int(activities.DefaultRetryPolicy.MaxAttempts), "attempts of each activity before its workflow fails as RetriesExhausted")
	flag.Parse()
	cfg := workflows.DefaultConfig
	cfg.Retry.MaxAttempts = int32(*maxAttempts)
	// An activity makes several ERP requests in a row (one or more per line
	// item); each must be able to time out well inside one attempt.
	if *erpTimeout <= 0 || 2**erpTimeout > cfg.ActivityTimeout {
		return fmt.Errorf("--erp-timeout %v must be positive and at most half the activity timeout %v", *erpTimeout, cfg.ActivityTimeout)
	}

	if err := (admin.Budget{MaxRate: *backfillCap, Reserve: *backfillReserve}).Validate(); err != nil {
		return fmt.Errorf("--backfill-max-points, --backfill-reserve: %w", err)
	}
	queues, err := wiring.ParseQueues(*queueList)
	if err != nil {
		return fmt.Errorf("--queues: %w", err)
	}
	// Access tokens are secrets: from the environment only, never a flag.
	locations, err := activities.ParseLocationMap(*locationMap)
	if err != nil {
		return fmt.Errorf("--locations: %w", err)
	}
	tokens, err := shopifyTokens(os.Getenv("SHOPFLOW_SHOPIFY_TOKENS"))
	if err != nil {
		return err
	}

	logger := logging.New("worker")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The SDK's own metrics (pollers, schedule-to-start, task failures)
	// join shopflow's on the same /metrics.
	if temporal.MetricsHandler, err = workermetrics.SDKMetricsHandler(reg, logger); err != nil {
		return err
	}
	// The payload codec, from the environment: the client encrypts with
	// it, and shop/redact destroys its shop keys.
	if _, err := temporal.DataConverter(logger); err != nil {
		return err
	}
	c, err := temporal.Dial(logger)
	if err != nil {
		return fmt.Errorf("connecting to Temporal at %s: %w", temporal.Address, err)
	}
	defer c.Close()

	ln, err := net.Listen("tcp", *metricsAddr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	go func() {
		if err := httpserver.Serve(ctx, ln, mux, logger); err != nil {
			logger.Error("metrics server stopped", "error", err)
		}
	}()

	shopifyMetrics, err := admin.NewMetrics(reg)
	if err != nil {
		return err
	}
	// Every ERP and Shopify request is counted and timed by operation and
	// status class (shopflow_downstream_*).
	calls := downstream.NewMetrics(reg)
	deps := wiring.Deps{
		Config: cfg,
		ERP:    erp.New(*erpURL, calls.Client(erp.NewHTTPClient(*erpTimeout), downstream.SystemERP, erp.Operation)),
		Shopify: activities.NewShopifyClients(activities.ShopifyOptions{
			Tokens: tokens, BaseURL: *shopifyURL, Metrics: shopifyMetrics,
			Backfill: admin.Budget{MaxRate: *backfillCap, Reserve: *backfillReserve},
			HTTP:     calls.Client(&http.Client{Timeout: time.Minute}, downstream.SystemShopify, nil),
		}),
		Metrics:    reg,
		Encryption: temporal.Codec,
		Locations:  locations,
	}
	opts := worker.Options{
		// On shutdown, let activities in flight finish rather than abandon
		// them to a timeout and a retry.
		WorkerStopTimeout: 15 * time.Second,
		Interceptors:      []interceptor.WorkerInterceptor{workermetrics.New(reg)},
	}
	var taskQueues []string
	for _, q := range queues {
		tq := q.TaskQueue() + *queueSuffix
		w := worker.New(c, tq, opts)
		wiring.Register(w, q, deps)
		if err := w.Start(); err != nil {
			return fmt.Errorf("starting the %s worker: %w", q, err)
		}
		defer w.Stop()
		taskQueues = append(taskQueues, tq)
	}
	logger.Info("worker started", "task_queues", taskQueues, "metrics", "http://"+ln.Addr().String()+"/metrics", "temporal", temporal.Address, "namespace", temporal.Namespace, "erp", *erpURL)
	<-ctx.Done()
	logger.Info("worker stopping: finishing activities in flight")
	return nil
}

// shopifyTokens reads SHOPFLOW_SHOPIFY_TOKENS, written as
// "shop-a.myshopify.com=shpat_...;shop-b.myshopify.com=shpat_...".
func shopifyTokens(s string) (map[string]string, error) {
	values, err := env.ParseShopValues(s, "SHOPFLOW_SHOPIFY_TOKENS")
	if err != nil {
		return nil, err
	}
	tokens := make(map[string]string, len(values))
	for shop, list := range values {
		if len(list) != 1 {
			return nil, fmt.Errorf("SHOPFLOW_SHOPIFY_TOKENS: %s has %d tokens, want one", shop, len(list))
		}
		tokens[shop] = list[0]
	}
	return tokens, nil
}
