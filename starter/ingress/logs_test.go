package ingress_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/starter/ingress"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestLogsCarryCorrelationIDButNoBodyOrSecret(t *testing.T) {
	c := testenv.Temporal(t)
	var logs lockedBuffer
	reg := prometheus.NewRegistry()
	h := ingress.NewHandler(ingress.Config{
		Temporal: c, TaskQueue: "logs-test-no-worker",
		Secrets: ingress.ShopSecrets{testenv.Shop: {[]byte(testenv.Secret)}},
		Logger:  logging.NewTo(&logs, "starter", 0), Metrics: ingress.NewMetrics(reg),
	})
	srv := httptest.NewServer(ingress.NewMux(h, c, reg))
	defer srv.Close()
	url := srv.URL + "/webhooks/shopify"

	body := testenv.SampleOrder(t, 6006) // holds Shopify's sample customer
	// Webhook IDs of this run only, as the dev server outlives go test -count runs.
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	accepted, forged := "log-accepted-"+run, "log-forged-"+run
	for _, req := range []*http.Request{
		testenv.SignedRequest(t, url, "orders/create", accepted, body),
		testenv.SignedRequest(t, url, "orders/create", accepted, body), // duplicate
		func() *http.Request {
			r := testenv.SignedRequest(t, url, "orders/create", forged, body)
			r.Header.Set(webhook.HeaderHMAC, webhook.Sign([]byte("forged"), body))
			return r
		}(),
	} {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	out := logs.String()
	for _, secret := range []string{testenv.Secret, "Shippington", "555-555-SHIP", `"email"`, "line_items"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs contain %q; they must hold neither secrets nor payloads:\n%s", secret, out)
		}
	}
	outcomes := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		id, _ := rec["correlation_id"].(string)
		outcome, _ := rec["outcome"].(string)
		outcomes[id+"/"+outcome] = outcome
	}
	for _, want := range []string{accepted + "/started", accepted + "/duplicate", forged + "/bad_signature"} {
		if _, ok := outcomes[want]; !ok {
			t.Errorf("no log line with correlation_id/outcome %s; got %v", want, outcomes)
		}
	}
}
