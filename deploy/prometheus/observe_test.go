package prometheus_test

import (
	"bufio"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopflow/shopflow/internal/testenv"
)

// make observe (tools/observe.sh) starts Prometheus and Alertmanager that
// scrape a running stack with every rule of alerts.yml, prints their
// addresses, and stops both on one interrupt.
func TestObserveWatchesTheStack(t *testing.T) {
	binary(t, "prometheus")
	binary(t, "prometheus-alertmanager")
	s := testenv.NewStack(t, testenv.Options{NoWorker: true})
	metrics, err := url.Parse(strings.TrimSuffix(s.IngressURL, "/webhooks/shopify"))
	if err != nil {
		t.Fatal(err)
	}
	promAddr, amAddr := freeAddr(t), freeAddr(t)
	_, promPort, _ := net.SplitHostPort(promAddr)
	_, amPort, _ := net.SplitHostPort(amAddr)

	cmd := exec.Command(filepath.Join("..", "..", "tools", "observe.sh"))
	cmd.Env = append(os.Environ(), "PROMETHEUS_PORT="+promPort, "ALERTMANAGER_PORT="+amPort,
		"INGRESS_ADDR="+metrics.Host, "WORKER_METRICS_ADDR="+metrics.Host, "OBSERVE_DIR="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder // read only once the script is killed
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	printed := make(chan string, 1)
	go func() {
		var out strings.Builder
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "Ctrl-C") {
				printed <- out.String()
			}
		}
	}()
	select {
	case out := <-printed:
		for _, addr := range []string{"http://" + promAddr, "http://" + amAddr} {
			if !strings.Contains(out, addr) {
				t.Errorf("make observe did not print %s:\n%s", addr, out)
			}
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("make observe printed no addresses in 60 s:\n%s", stderr.String())
	}

	prom := promAPI{base: "http://" + promAddr}
	want := 0
	for _, g := range readRules(t, "alerts.yml").Groups {
		want += len(g.Rules)
	}
	eventually(t, 30*time.Second, "both stack targets up and every rule loaded", func() bool {
		var rules struct {
			Data struct{ Groups []struct{ Rules []any } }
		}
		prom.get(t, "/api/v1/rules", &rules)
		n := 0
		for _, g := range rules.Data.Groups {
			n += len(g.Rules)
		}
		return n == want && prom.value(t, `sum(up{job=~"shopflow-starter|shopflow-worker"})`) == 2
	})
	awaitReady(t, "http://"+amAddr+"/-/ready")

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("make observe did not stop on an interrupt")
	}
	for _, addr := range []string{promAddr, amAddr} {
		eventually(t, 10*time.Second, addr+" closed", func() bool {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
			}
			return err != nil
		})
	}
}
