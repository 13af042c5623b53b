package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/shopify/webhook"
)

// README command 1, for real: the dev runner starts the whole stack, a
// signed sample order reaches the ERP through it, and one interrupt stops
// every process it started.
func TestDevStackStartsSyncsAndStops(t *testing.T) {
	if _, err := devserver.CLIPath(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "dev")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the dev runner: %v\n%s", err, out)
	}
	addr := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	port := func() string { _, p, _ := net.SplitHostPort(addr()); return p }
	ingress, erp := addr(), addr()
	cmd := exec.Command(bin,
		"-temporal-port", port(), "-ui-port", port(), "-ingress-addr", ingress, "-erp-addr", erp,
		"-shopify-addr", addr(), "-worker-metrics-addr", addr(), "-codec-addr", addr(), "-data-dir", filepath.Join(dir, "data"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var output bytes.Buffer
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	up := make(chan struct{})
	lines := make(chan struct{})
	var scheduled atomic.Bool // the dev shop's reconciliation schedule was applied
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "schedule reconcile/ReconcileInventory/"+devShop) {
				scheduled.Store(true)
			}
			if strings.Contains(sc.Text(), "dev stack is up") {
				close(up)
			}
		}
	}()
	select {
	case <-up:
	case <-time.After(4 * time.Minute):
		t.Fatalf("the dev stack did not come up in 4 minutes; stderr:\n%s", output.String())
	}
	if !scheduled.Load() {
		t.Error("the dev stack did not schedule the dev shop's inventory reconciliation")
	}

	body, err := os.ReadFile(filepath.Join("..", "..", "starter", "samples", "orders_create.json"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := webhook.NewRequest(context.Background(), "http://"+ingress+"/webhooks/shopify", []byte(devSecret), webhook.Delivery{
		Topic: "orders/create", Shop: devShop, APIVersion: admin.DefaultAPIVersion, WebhookID: "dev-test-1", Body: body,
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ingress answered %d", resp.StatusCode)
	}
	var order struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(body, &order)
	deadline := time.Now().Add(time.Minute)
	for {
		var truth struct {
			Invoices            []json.RawMessage `json:"invoices"`
			FulfillmentRequests []json.RawMessage `json:"fulfillment_requests"`
		}
		if r, err := http.Get(fmt.Sprintf("http://%s/admin/orders/%s/%s", erp, devShop, strconv.FormatInt(order.ID, 10))); err == nil {
			json.NewDecoder(r.Body).Decode(&truth)
			r.Body.Close()
		}
		if len(truth.Invoices) == 1 && len(truth.FulfillmentRequests) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sample order never reached the ERP: %+v", truth)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// One interrupt, as Ctrl-C sends to the terminal's process group.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	exited := make(chan error, 1)
	go func() { <-lines; exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the dev runner exited with %v; stderr:\n%s", err, output.String())
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the dev runner did not stop within 90 s of an interrupt")
	}
	for _, a := range []string{ingress, erp} {
		if c, err := net.DialTimeout("tcp", a, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after the stack stopped", a)
		}
	}
}
