package testenv

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
)

// Shop and Secret identify the shop of tests that run their own ingress;
// every Stack has a shop of its own (Stack.Shop) with the same secret, and
// the same Admin API token in its Shopify simulator.
const (
	Shop         = "test-shop.myshopify.com"
	Secret       = "test-webhook-secret"
	ShopifyToken = "shpat_test_token"
)

// stacks numbers the stacks of a test binary, so that each has its own
// shop, hence its own workflow IDs, even under go test -count=N against
// the one dev server.
var stacks atomic.Int64

// Stack is one test's shopflow: the shared dev server, and of its own an ERP
// simulator, a worker on its own task queue and an ingress.
type Stack struct {
	// Shop is the stack's own shop domain; its webhooks are signed with
	// Secret.
	Shop      string
	Temporal  client.Client
	TaskQueue string
	ERP       *erpsim.Server
	ERPURL    string
	// Shopify simulates the stack's shop (token ShopifyToken, webhooks
	// signed with Secret); ShopifyURL is its address, which the worker's
	// Shopify activities call.
	Shopify    *shopifysim.Simulator
	ShopifyURL string
	IngressURL string
	// Metrics holds the ingress's and the worker's metrics.
	Metrics *prometheus.Registry
	erpLog  requestLog

	depsOnce       sync.Once
	shopifyClients *activities.ShopifyClients
}

// Options tunes a stack.
type Options struct {
	// Config is the workflows' config; workflows.DefaultConfig if zero.
	Config workflows.Config
	// ERPTimeout bounds one ERP request; 5 s if zero.
	ERPTimeout time.Duration
	// NoWorker leaves the task queue without a worker, so that started
	// workflows stay pending.
	NoWorker bool
	// ShopifyPlan is the simulated shop's plan; Standard if empty.
	ShopifyPlan shopifysim.Plan
}

// NewStack starts a stack for t and stops it when t ends.
func NewStack(t testing.TB, opts Options) *Stack {
	t.Helper()
	if opts.Config.ActivityTimeout == 0 {
		opts.Config = workflows.DefaultConfig
	}
	if opts.ERPTimeout == 0 {
		opts.ERPTimeout = 5 * time.Second
	}
	logger := logging.NewTo(testWriter{t}, "test", -4)
	c := Temporal(t)
	n := stacks.Add(1)
	s := &Stack{
		Shop:      fmt.Sprintf("test-shop-%d.myshopify.com", n),
		Temporal:  c,
		TaskQueue: fmt.Sprintf("test-%d-%s", n, strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())),
		ERP:       erpsim.New(erpsim.Options{Logger: logger.With("process", "erpsim")}),
		Metrics:   prometheus.NewRegistry(),
	}
	erpServer := httptest.NewServer(s.erpLog.record(s.ERP.Handler()))
	t.Cleanup(erpServer.Close)
	s.ERPURL = erpServer.URL

	s.Shopify = shopifysim.New(shopifysim.Config{
		Shops:  []shopifysim.ShopConfig{{Domain: s.Shop, AccessToken: ShopifyToken, WebhookSecret: Secret, Plan: opts.ShopifyPlan}},
		Logger: logger.With("process", "shopifysim"),
		// The stack's ingress and test receivers listen on loopback http.
		AllowLoopbackWebhooks: true,
	})
	t.Cleanup(s.Shopify.Close)
	shopifyServer := httptest.NewServer(s.Shopify.Handler())
	t.Cleanup(shopifyServer.Close)
	s.ShopifyURL = shopifyServer.URL

	if !opts.NoWorker {
		w := worker.New(c, s.TaskQueue, worker.Options{
			Interceptors: []interceptor.WorkerInterceptor{workermetrics.New(s.Metrics)},
		})
		wiring.Register(w, wiring.Webhooks, s.Deps(opts))
		if err := w.Start(); err != nil {
			t.Fatalf("starting the worker: %v", err)
		}
		t.Cleanup(w.Stop)
	}

	hooks := ingress.NewHandler(ingress.Config{
		Temporal: c, TaskQueue: s.TaskQueue,
		Secrets: ingress.ShopSecrets{s.Shop: {[]byte(Secret)}},
		Logger:  logger.With("process", "starter"), Metrics: ingress.NewMetrics(s.Metrics),
	})
	ingressServer := httptest.NewServer(ingress.NewMux(hooks, c, s.Metrics))
	t.Cleanup(ingressServer.Close)
	s.IngressURL = ingressServer.URL + "/webhooks/shopify"
	return s
}

// Deps are the dependencies of the stack's worker: its ERP and Shopify
// simulators, a bucket registry of its own, and its metrics registry. Tests
// that start more workers (another task queue, a second process) use it.
func (s *Stack) Deps(opts Options) wiring.Deps {
	if opts.Config.ActivityTimeout == 0 {
		opts.Config = workflows.DefaultConfig
	}
	if opts.ERPTimeout == 0 {
		opts.ERPTimeout = 5 * time.Second
	}
	s.depsOnce.Do(func() {
		s.shopifyClients = activities.NewShopifyClients(activities.ShopifyOptions{
			Tokens: map[string]string{s.Shop: ShopifyToken}, BaseURL: s.ShopifyURL, Registry: admin.NewRegistry(),
		})
	})
	return wiring.Deps{
		Config:  opts.Config,
		ERP:     erp.New(s.ERPURL, erp.NewHTTPClient(opts.ERPTimeout)),
		Shopify: s.shopifyClients,
		Metrics: s.Metrics,
		// The compliance activities destroy keys of the shared codec.
		Encryption: shared.codec,
	}
}

// SignedRequest builds a webhook delivery from Shop as Shopify sends it.
func SignedRequest(t testing.TB, url, topic, webhookID string, body []byte) *http.Request {
	t.Helper()
	return signedRequest(t, url, Shop, topic, webhookID, body)
}

// SignedRequest builds a webhook delivery from the stack's shop to its
// ingress, as Shopify sends it.
func (s *Stack) SignedRequest(t testing.TB, topic, webhookID string, body []byte) *http.Request {
	t.Helper()
	return signedRequest(t, s.IngressURL, s.Shop, topic, webhookID, body)
}

func signedRequest(t testing.TB, url, shop, topic, webhookID string, body []byte) *http.Request {
	t.Helper()
	req, err := webhook.NewRequest(context.Background(), url, []byte(Secret), webhook.Delivery{
		Topic: topic, Shop: shop, APIVersion: admin.DefaultAPIVersion, WebhookID: webhookID, Body: body,
	})
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// Deliver sends a signed webhook to the stack's ingress and returns the
// status it answered.
func (s *Stack) Deliver(t testing.TB, topic, webhookID string, body []byte) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(s.SignedRequest(t, topic, webhookID, body))
	if err != nil {
		t.Fatalf("delivering webhook %s: %v", webhookID, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Wait waits for the webhook's workflow to close and returns its error.
func (s *Stack) Wait(t testing.TB, webhookID string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return s.Temporal.GetWorkflow(ctx, s.WorkflowID(webhookID), "").Get(ctx, nil)
}

// WorkflowID is the ID of the workflow of one of the stack's webhooks.
func (s *Stack) WorkflowID(webhookID string) string {
	return workflows.WebhookWorkflowID(s.Shop, webhookID)
}

// testWriter sends log lines to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
