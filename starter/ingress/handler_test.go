package ingress_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/starter/ingress"
)

// requireNotStarted asserts that no workflow exists for the webhook ID.
func requireNotStarted(t *testing.T, s *testenv.Stack, webhookID string) {
	t.Helper()
	_, err := s.Temporal.DescribeWorkflow(context.Background(), s.WorkflowID(webhookID), "")
	var notFound *serviceerror.NotFound
	if !errors.As(err, &notFound) {
		t.Errorf("webhook %s: a workflow exists (describe: %v), want none started", webhookID, err)
	}
}

func outcomeCount(s *testenv.Stack, topic, outcome string) float64 {
	families, _ := s.Metrics.Gather()
	for _, f := range families {
		if f.GetName() != "shopflow_webhooks_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["topic"] == topic && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func TestRejectionsStartNothing(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{NoWorker: true})
	body := testenv.SampleOrder(t, 7007)
	big := bytes.Repeat([]byte(" "), 1<<20+1)

	cases := []struct {
		name    string
		id      string
		mutate  func(r *http.Request)
		body    []byte
		want    int
		outcome string
	}{
		{"bad signature", "rej-sig", func(r *http.Request) { r.Header.Set(webhook.HeaderHMAC, webhook.Sign([]byte("wrong"), body)) }, body, 401, "bad_signature"},
		{"missing signature", "rej-nosig", func(r *http.Request) { r.Header.Del(webhook.HeaderHMAC) }, body, 401, "bad_signature"},
		{"unknown shop", "rej-shop", func(r *http.Request) { r.Header.Set(webhook.HeaderShopDomain, "stranger.myshopify.com") }, body, 401, "unknown_shop"},
		{"missing shop", "rej-noshop", func(r *http.Request) { r.Header.Del(webhook.HeaderShopDomain) }, body, 400, "missing_header"},
		{"missing topic", "rej-topic", func(r *http.Request) { r.Header.Del(webhook.HeaderTopic) }, body, 400, "missing_header"},
		{"missing API version", "rej-version", func(r *http.Request) { r.Header.Del(webhook.HeaderAPIVersion) }, body, 400, "missing_header"},
		{"missing webhook ID", "", func(r *http.Request) {}, body, 400, "missing_header"},
		{"body too large", "rej-large", func(r *http.Request) {}, big, 413, "too_large"},
		{"body too large, no length", "rej-chunked", func(r *http.Request) { r.ContentLength = -1 }, big, 413, "too_large"},
		{"wrong method", "rej-get", func(r *http.Request) { r.Method = http.MethodGet }, body, 405, "method_not_allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := s.SignedRequest(t, "orders/create", c.id, c.body)
			if c.id == "" {
				req.Header.Del(webhook.HeaderWebhookID)
			}
			c.mutate(req)
			before := outcomeCount(s, "", c.outcome) + outcomeCount(s, "orders/create", c.outcome)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("status %d, want %d", resp.StatusCode, c.want)
			}
			if after := outcomeCount(s, "", c.outcome) + outcomeCount(s, "orders/create", c.outcome); after != before+1 {
				t.Errorf("outcome %q counted %v times, want %v", c.outcome, after, before+1)
			}
			if c.id != "" {
				requireNotStarted(t, s, c.id)
			}
		})
	}
}

func TestUnhandledTopicIsAcknowledgedAndStartsNothing(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{NoWorker: true})
	if got := s.Deliver(t, "carts/update", "wh-cart", []byte(`{"id":1}`)); got != http.StatusOK {
		t.Fatalf("status %d, want 200", got)
	}
	if got := outcomeCount(s, "carts/update", "unhandled_topic"); got != 1 {
		t.Errorf("unhandled_topic counted %v times, want 1", got)
	}
	requireNotStarted(t, s, "wh-cart")
}

func TestInvalidJSONBecomesAnInvalidPayloadDeadLetter(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	for id, body := range map[string]string{
		"wh-notjson":  `{"id": 1, "line_items": [`,
		"wh-noorder":  `{"id": 0, "line_items": []}`,
		"wh-badlines": `{"id": 8008, "currency": "USD", "total_price": "1.00", "line_items": [{"id": 1, "quantity": 0, "price": "1.00"}]}`,
	} {
		if got := s.Deliver(t, "orders/create", id, []byte(body)); got != http.StatusOK {
			t.Fatalf("%s: status %d, want 200 (not bounced back to Shopify)", id, got)
		}
		err := s.Wait(t, id)
		var appErr *temporal.ApplicationError
		if !errors.As(err, &appErr) || appErr.Type() != activities.FailureInvalidPayload {
			t.Errorf("%s: workflow ended with %v, want InvalidPayload", id, err)
		}
	}
}

func TestRedeliveryStartsNothingNew(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	body := testenv.SampleOrder(t, 9009)

	// While running: no worker has picked it up yet, or it is mid-flight.
	for range 3 {
		if got := s.Deliver(t, "orders/create", "wh-redeliver", body); got != http.StatusOK {
			t.Fatalf("status %d, want 200", got)
		}
	}
	if err := s.Wait(t, "wh-redeliver"); err != nil {
		t.Fatal(err)
	}
	// After completion.
	if got := s.Deliver(t, "orders/create", "wh-redeliver", body); got != http.StatusOK {
		t.Fatalf("status %d, want 200", got)
	}
	if started, dup := outcomeCount(s, "orders/create", "started"), outcomeCount(s, "orders/create", "duplicate"); started != 1 || dup != 3 {
		t.Errorf("started %v, duplicates %v; want 1 and 3", started, dup)
	}

	// After failure: an unknown product makes a dead letter; its redelivery
	// must not start a fresh run that would bury it.
	bad := testenv.SampleOrder(t, 9010, "NO-SUCH-SKU")
	s.Deliver(t, "orders/create", "wh-redeliver-failed", bad)
	if err := s.Wait(t, "wh-redeliver-failed"); err == nil {
		t.Fatal("workflow succeeded, want ProductNotFound")
	}
	if got := s.Deliver(t, "orders/create", "wh-redeliver-failed", bad); got != http.StatusOK {
		t.Fatalf("status %d, want 200", got)
	}
	if dup := outcomeCount(s, "orders/create", "duplicate"); dup != 4 {
		t.Errorf("duplicates %v, want 4", dup)
	}
}

func TestTemporalUnreachableAnswers503Promptly(t *testing.T) {
	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := client.NewLazyClient(client.Options{HostPort: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	reg := prometheus.NewRegistry()
	h := ingress.NewHandler(ingress.Config{
		Temporal: c, Secrets: ingress.ShopSecrets{testenv.Shop: {[]byte(testenv.Secret)}},
		Logger: logging.NewTo(io.Discard, "test", 0), Metrics: ingress.NewMetrics(reg),
	})
	srv := httptest.NewServer(ingress.NewMux(h, c, reg))
	defer srv.Close()

	start := time.Now()
	resp, err := http.DefaultClient.Do(testenv.SignedRequest(t, srv.URL+"/webhooks/shopify", "orders/create", "wh-down", testenv.SampleOrder(t, 1)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("answered after %v, want well inside Shopify's 5 s timeout", elapsed)
	}
	ready, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	ready.Body.Close()
	if ready.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d with Temporal down, want 503", ready.StatusCode)
	}
}
