// Command shopifysim serves the Shopify simulator: the GraphQL Admin API of
// one development shop (more can be added through POST /sim/shops) and the
// simulator's /sim/ admin API, with webhooks delivered to -webhook-url.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/shopflow/shopflow/internal/httpserver"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "shopifysim:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8091", "listen address")
	shopDomain := flag.String("shop", "dev-shop.myshopify.com", "domain of the simulated shop")
	token := flag.String("token", "shpat_dev_token", "Admin API access token the app must send")
	secret := flag.String("webhook-secret", "dev-webhook-secret", "app secret webhooks are signed with")
	planName := flag.String("plan", "standard", "shop plan: standard, advanced or plus")
	seed := flag.Int("seed-products", 0, "products to seed at start (2 variants each, 2 locations)")
	webhookURL := flag.String("webhook-url", "", "subscribe the shop's order, product and inventory topics to this URL, e.g. http://127.0.0.1:8080/webhooks/shopify")
	timeScale := flag.Float64("webhook-time-scale", 1, "multiplier for webhook retry backoff and timeout (0.001 runs 4 hours of retries in 15 s)")
	bulkRate := flag.Float64("bulk-objects-per-second", 2000, "how fast bulk queries write objects (0: as fast as the data allows)")
	allowLoopback := flag.Bool("allow-loopback-webhooks", false, "let webhookSubscriptionCreate accept http:// callback URLs on loopback hosts, which Shopify refuses (for a local receiver)")
	flag.Parse()

	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	plan, err := shopifysim.ParsePlan(*planName)
	if err != nil {
		return err
	}
	sim := shopifysim.New(shopifysim.Config{
		Shops:                 []shopifysim.ShopConfig{{Domain: *shopDomain, AccessToken: *token, WebhookSecret: *secret, Plan: plan}},
		WebhookTimeScale:      *timeScale,
		Logger:                log,
		AllowLoopbackWebhooks: *allowLoopback,
		BulkObjectsPerSecond:  *bulkRate,
	})
	defer sim.Close()
	if *seed > 0 {
		start := time.Now()
		if err := sim.SeedCatalog(*shopDomain, shopifysim.SeedOptions{Products: *seed, VariantsPerProduct: 2, Locations: 2}); err != nil {
			return err
		}
		log.Info("catalog seeded", "shop", *shopDomain, "products", *seed, "took", time.Since(start).String())
	}
	if *webhookURL != "" {
		for _, topic := range []string{"orders/create", "orders/updated", "products/create", "products/update", "products/delete", "inventory_levels/update"} {
			if err := sim.Subscribe(*shopDomain, topic, *webhookURL); err != nil {
				return err
			}
		}
		log.Info("webhooks subscribed", "shop", *shopDomain, "topics", 6)
	}

	srv := &http.Server{
		Addr:              *addr,
		Handler:           sim.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The token and secret are never logged.
	log.Info("shopifysim listening", "addr", ln.Addr().String(), "shop", *shopDomain, "plan", string(plan),
		"graphql", "http://"+ln.Addr().String()+admin.GraphQLPath(admin.DefaultAPIVersion))

	return httpserver.Run(ctx, srv, ln)
}
