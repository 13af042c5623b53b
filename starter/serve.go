package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/internal/env"
	"github.com/shopflow/shopflow/internal/httpserver"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/temporalclient"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/starter/reconcile"
)

func serveCommand() *cobra.Command {
	var (
		temporal     temporalclient.Options
		listen       string
		secrets      string
		maxBody      int64
		startTimeout time.Duration
		replayWindow time.Duration
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve POST /webhooks/shopify, /healthz, /readyz and /metrics",
		Long: `Serve the webhook ingress. Each verified delivery starts one workflow,
keyed by its X-Shopify-Webhook-Id, and is answered 200 once Temporal has
durably accepted the start.

Shop secrets come from --shop-secrets or SHOPFLOW_SHOP_SECRETS, written as
"shop-a.myshopify.com=secret1,secret2;shop-b.myshopify.com=secret3"; list two
secrets for a shop while rotating its app secret.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			shops, err := ingress.ParseShopSecrets(secrets)
			if err != nil {
				return err
			}
			if len(shops) == 0 {
				return fmt.Errorf("no shop secrets: set --shop-secrets or SHOPFLOW_SHOP_SECRETS")
			}
			logger := logging.New("starter")
			reg := prometheus.NewRegistry()
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			// The SDK's request metrics: RESOURCE_EXHAUSTED on starts.
			if temporal.MetricsHandler, err = workermetrics.SDKMetricsHandler(reg, logger); err != nil {
				return err
			}
			dc, err := temporal.DataConverter(logger)
			if err != nil {
				return err
			}
			c, err := temporal.DialLazy(logger)
			if err != nil {
				return err
			}
			defer c.Close()

			// Dead-letter depth, counted in Temporal at most every 15 s.
			reg.MustRegister(deadletters.NewDepthCollector(
				deadletters.New(c, deadletters.Options{Namespace: temporal.Namespace, DataConverter: dc}),
				deadletters.DepthOptions{TTL: 15 * time.Second, Logger: logger}))
			// Reconciliation schedules' health, asked at most every 15 s.
			reg.MustRegister(reconcile.NewCollector(c, 15*time.Second, logger))
			webhooks := ingress.NewHandler(ingress.Config{
				Temporal: c, Secrets: shops, MaxBodyBytes: maxBody, StartTimeout: startTimeout, ReplayWindow: replayWindow,
				Logger: logger, Metrics: ingress.NewMetrics(reg),
			})
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			logger.Info("ingress listening", "addr", "http://"+ln.Addr().String()+"/webhooks/shopify",
				"shops", len(shops), "temporal", temporal.Address, "namespace", temporal.Namespace)
			return httpserver.Serve(ctx, ln, ingress.NewMux(webhooks, c, reg), logger)
		},
	}
	goFlags := flag.NewFlagSet("temporal", flag.ContinueOnError)
	temporal.RegisterFlags(goFlags)
	cmd.Flags().AddGoFlagSet(goFlags)
	cmd.Flags().StringVar(&listen, "listen", env.Or("SHOPFLOW_LISTEN", "127.0.0.1:8080"), "address to serve on (env SHOPFLOW_LISTEN)")
	cmd.Flags().StringVar(&secrets, "shop-secrets", os.Getenv("SHOPFLOW_SHOP_SECRETS"), "shop=secret[,secret];... (env SHOPFLOW_SHOP_SECRETS; prefer the env var, flags show in ps)")
	cmd.Flags().Int64Var(&maxBody, "max-body-bytes", 1<<20, "largest webhook body accepted; larger ones get 413")
	cmd.Flags().DurationVar(&startTimeout, "start-timeout", 2*time.Second, "how long to wait for Temporal to accept a start before answering 503")
	cmd.Flags().DurationVar(&replayWindow, "replay-window", 0, "record webhooks older than this (X-Shopify-Triggered-At) as StaleWebhook, applying nothing, for reconciliation to converge; 0 = off")
	return cmd
}
