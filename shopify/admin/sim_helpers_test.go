package admin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

const (
	simShop  = "bench.myshopify.com"
	simToken = "shpat_sim_token"
)

// simEnv is a simulator served over real HTTP and a Client for its shop.
type simEnv struct {
	sim    *shopifysim.Simulator
	srv    *httptest.Server
	client *admin.Client
	reg    *prometheus.Registry
}

// newSimEnv starts a simulator with one shop on plan and a Client with its
// own limiter registry and metrics.
func newSimEnv(tb testing.TB, plan shopifysim.Plan, cfg shopifysim.Config) *simEnv {
	tb.Helper()
	cfg.Shops = []shopifysim.ShopConfig{{Domain: simShop, AccessToken: simToken, WebhookSecret: "whsec", Plan: plan}}
	sim := shopifysim.New(cfg)
	srv := httptest.NewServer(sim.Handler())
	tb.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	reg := prometheus.NewRegistry()
	m, err := admin.NewMetrics(reg)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := admin.NewClient(admin.Options{
		Shop: simShop, AccessToken: simToken, BaseURL: srv.URL,
		HTTP:     &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}},
		Metrics:  m,
		Registry: admin.NewRegistry(),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return &simEnv{sim: sim, srv: srv, client: c, reg: reg}
}
