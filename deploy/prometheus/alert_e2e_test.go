package prometheus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

const processingAlert = "ShopflowWebhookProcessingSlow"

// Done-when 1: the typical incident on a running stack. The ERP simulator
// answers in 200 ms, then in 5 s, then in 200 ms again, while webhooks keep
// arriving; a real Prometheus scrapes the stack's real /metrics and
// evaluates ShopflowWebhookProcessingSlow, a real Alertmanager routes it to
// a webhook receiver here. The alert must stay quiet, fire, reach the
// receiver, and resolve.
//
// The rule is the one in alerts.yml, expression and threshold unchanged;
// only its time scale is shortened so that the test takes about two
// minutes instead of half an hour: its rate window [5m] becomes [15s] and
// its for: 5m becomes 5s (shortRule), with scrapes and evaluations every
// second.
func TestProcessingLatencyAlertFiresAndResolves(t *testing.T) {
	promBin := binary(t, "prometheus")
	amBin := binary(t, "prometheus-alertmanager")

	s := testenv.NewStack(t, testenv.Options{ERPTimeout: 20 * time.Second})
	testenv.SeedSampleProducts(t, s.ERP)
	setERPLatency(t, s, 200*time.Millisecond)

	receiver := newReceiver(t)
	dir := t.TempDir()
	amAddr, promAddr := freeAddr(t), freeAddr(t)
	writeFile(t, filepath.Join(dir, "alertmanager.yml"), fmt.Sprintf(`
route:
  receiver: test
  group_by: [alertname, topic]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: test
    webhook_configs:
      - url: %s
        send_resolved: true
`, receiver.URL))
	writeFile(t, filepath.Join(dir, "rules.yml"), shortRule(t))
	metrics, err := url.Parse(strings.TrimSuffix(s.IngressURL, "/webhooks/shopify"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "prometheus.yml"), fmt.Sprintf(`
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs:
        - targets: [%q]
scrape_configs:
  - job_name: shopflow-test
    static_configs:
      - targets: [%q]
`, amAddr, metrics.Host))

	start(t, amBin, "--config.file="+filepath.Join(dir, "alertmanager.yml"),
		"--storage.path="+filepath.Join(dir, "am"), "--web.listen-address="+amAddr,
		"--cluster.listen-address=")
	start(t, promBin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "tsdb"), "--web.listen-address="+promAddr,
		"--rules.alert.resend-delay=1s")
	awaitReady(t, "http://"+amAddr+"/-/ready")
	awaitReady(t, "http://"+promAddr+"/-/ready")
	prom := promAPI{base: "http://" + promAddr}

	// Webhooks keep arriving, one a second, each an order of one line.
	stop := drive(t, s)
	defer stop()

	// Healthy: processed series are scraped, and the alert stays quiet.
	t.Log("ERP at 200 ms: waiting for processed webhooks in Prometheus")
	eventually(t, 90*time.Second, "processed webhooks scraped by Prometheus", func() bool {
		return prom.value(t, `sum(shopflow_webhook_processing_seconds_count{topic="orders/create"})`) >= 5
	})
	// Long enough for the rule's window and for: it would have fired.
	for healthyUntil := time.Now().Add(20 * time.Second); time.Now().Before(healthyUntil); {
		// Pending may happen when a loaded machine delays one webhook;
		// firing takes 5 s of it.
		if st := prom.alertState(t, processingAlert); st == "firing" {
			t.Fatalf("with the ERP at 200 ms the alert is %s", st)
		}
		time.Sleep(time.Second)
	}
	t.Logf("healthy p99: %.2fs", prom.value(t, `histogram_quantile(0.99, sum by (le) (rate(shopflow_webhook_processing_seconds_bucket[15s])))`))
	if got := receiver.notifications(processingAlert, "firing"); got != 0 {
		t.Fatalf("%d firing notifications while healthy", got)
	}

	// The incident: the ERP answers in 5 s.
	t.Log("ERP at 5 s: waiting for the alert")
	setERPLatency(t, s, 5*time.Second)
	eventually(t, 120*time.Second, "the alert firing in Prometheus", func() bool {
		return prom.alertState(t, processingAlert) == "firing"
	})
	eventually(t, 30*time.Second, "the firing alert at the Alertmanager receiver", func() bool {
		return receiver.notifications(processingAlert, "firing") > 0
	})
	if a := receiver.last(processingAlert); a.Labels["topic"] != "orders/create" || a.Labels["severity"] != "critical" ||
		!strings.HasSuffix(a.Annotations["runbook_url"], "#"+strings.ToLower(processingAlert)) {
		t.Errorf("notified alert %+v, want topic orders/create, severity critical and its runbook", a)
	}

	// Speed restored: the alert resolves, in Prometheus and at the receiver.
	t.Log("ERP back at 200 ms: waiting for the alert to resolve")
	setERPLatency(t, s, 200*time.Millisecond)
	eventually(t, 120*time.Second, "the resolved alert at the Alertmanager receiver", func() bool {
		return receiver.notifications(processingAlert, "resolved") > 0
	})
	if st := prom.alertState(t, processingAlert); st != "" {
		t.Errorf("after resolving, the alert is still %s in Prometheus", st)
	}
}

// shortRule returns alerts.yml's processing-latency rule, unchanged but
// for its time scale: the rate window and the for duration.
func shortRule(t *testing.T) string {
	t.Helper()
	for _, g := range readRules(t, "alerts.yml").Groups {
		for _, r := range g.Rules {
			if r.Alert != processingAlert {
				continue
			}
			if strings.Count(r.Expr, "[5m]") != 1 || r.For != "5m" {
				t.Fatalf("%s changed shape (expr %q, for %q): update shortRule", processingAlert, r.Expr, r.For)
			}
			r.Expr = strings.Replace(r.Expr, "[5m]", "[15s]", 1)
			r.For = "5s"
			out, err := yaml.Marshal(map[string]any{"groups": []any{map[string]any{
				"name": "shopflow-e2e", "rules": []any{map[string]any{
					"alert": r.Alert, "expr": r.Expr, "for": r.For, "labels": r.Labels, "annotations": r.Annotations,
				}},
			}}})
			if err != nil {
				t.Fatal(err)
			}
			return string(out)
		}
	}
	t.Fatalf("alerts.yml has no %s", processingAlert)
	return ""
}

// binary returns the path of a program from Debian's packages, failing
// with what to do when it is missing: never skipped silently.
func binary(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: run `make tools` (installs Debian's prometheus and prometheus-alertmanager)", name)
	}
	return path
}

// start runs a program until the test ends, logging its output if the
// test fails.
func start(t *testing.T, path string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, args...)
	logPath := filepath.Join(t.TempDir(), filepath.Base(path)+".log")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		out.Close()
		if t.Failed() {
			logged, _ := os.ReadFile(logPath)
			t.Logf("%s output:\n%s", filepath.Base(path), logged)
		}
	})
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

var httpClient = &http.Client{Timeout: 5 * time.Second}

func awaitReady(t *testing.T, u string) {
	t.Helper()
	eventually(t, 30*time.Second, u+" ready", func() bool {
		resp, err := httpClient.Get(u)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func setERPLatency(t *testing.T, s *testenv.Stack, d time.Duration) {
	t.Helper()
	if err := s.ERP.SetFaults([]erpsim.Fault{{Kind: erpsim.FaultLatency, Latency: d}}); err != nil {
		t.Fatal(err)
	}
}

// drive delivers a webhook a second until the returned function is called.
func drive(t *testing.T, s *testenv.Stack) func() {
	body := oneLineOrder(t)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			resp, err := http.DefaultClient.Do(s.SignedRequest(t, "orders/create", fmt.Sprintf("e2e-%d", n), body(int64(5000+n))))
			if err != nil {
				t.Errorf("delivering: %v", err)
				return
			}
			resp.Body.Close()
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// oneLineOrder returns orders of one line item (four ERP requests each:
// a slow ERP makes one take about 20 s), by order ID.
func oneLineOrder(t *testing.T) func(int64) []byte {
	return func(id int64) []byte {
		var order map[string]any
		dec := json.NewDecoder(bytes.NewReader(testenv.SampleOrder(t, id)))
		dec.UseNumber()
		if err := dec.Decode(&order); err != nil {
			t.Error(err)
			return nil
		}
		order["line_items"] = order["line_items"].([]any)[:1]
		b, err := json.Marshal(order)
		if err != nil {
			t.Error(err)
		}
		return b
	}
}

// promAPI queries Prometheus's HTTP API.
type promAPI struct{ base string }

func (p promAPI) get(t *testing.T, path string, out any) {
	t.Helper()
	resp, err := httpClient.Get(p.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// value returns a scalar query's value, or -1 if it has none.
func (p promAPI) value(t *testing.T, query string) float64 {
	t.Helper()
	var r struct {
		Data struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	p.get(t, "/api/v1/query?query="+url.QueryEscape(query), &r)
	if len(r.Data.Result) == 0 {
		return -1
	}
	var v float64
	fmt.Sscan(fmt.Sprint(r.Data.Result[0].Value[1]), &v)
	return v
}

// alertState returns "pending", "firing" or "" for an alert.
func (p promAPI) alertState(t *testing.T, name string) string {
	t.Helper()
	var r struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string
				State  string
			}
		}
	}
	p.get(t, "/api/v1/alerts", &r)
	state := ""
	for _, a := range r.Data.Alerts {
		if a.Labels["alertname"] == name && (state == "" || a.State == "firing") {
			state = a.State
		}
	}
	return state
}

// receiver is the Alertmanager's webhook receiver.
type receiver struct {
	URL    string
	mu     sync.Mutex
	alerts []amAlert
}

type amAlert struct {
	Status      string
	Labels      map[string]string
	Annotations map[string]string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var msg struct{ Alerts []amAlert }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&msg); err != nil {
			t.Errorf("receiver: %v", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.alerts = append(rc.alerts, msg.Alerts...)
		rc.mu.Unlock()
		for _, a := range msg.Alerts {
			t.Logf("alertmanager notified: %s %s %v", a.Status, a.Labels["alertname"], a.Labels)
		}
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

func (rc *receiver) notifications(name, status string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, a := range rc.alerts {
		if a.Labels["alertname"] == name && a.Status == status {
			n++
		}
	}
	return n
}

func (rc *receiver) last(name string) amAlert {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i := len(rc.alerts) - 1; i >= 0; i-- {
		if rc.alerts[i].Labels["alertname"] == name {
			return rc.alerts[i]
		}
	}
	return amAlert{}
}
