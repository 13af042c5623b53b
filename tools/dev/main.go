// Command dev starts shopflow's whole dev stack in one terminal: a Temporal
// dev server with its Web UI, persisting to .data/, the ERP and Shopify
// simulators, the worker and the webhook ingress. One Ctrl-C stops it all.
//
// Run it with `make dev` (which builds the Temporal CLI into bin/ first).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/shopify/admin"
)

// The dev shop.
const (
	devShop   = "dev-shop.myshopify.com"
	devSecret = "shopflow-dev-webhook-secret"
	devToken  = "shpat_dev_token"
)

// ports says where the stack listens; the defaults are the README's, and
// tests move them to free ports.
type ports struct {
	temporal, webUI                  string // ports
	ingress, erp, shopify, workerMet string // host:port
	codec                            string // host:port of the codec server
	dataDir                          string
}

func (p *ports) register(fs *flag.FlagSet) {
	fs.StringVar(&p.temporal, "temporal-port", "7233", "Temporal frontend port")
	fs.StringVar(&p.webUI, "ui-port", "8233", "Temporal Web UI port")
	fs.StringVar(&p.ingress, "ingress-addr", "127.0.0.1:8080", "webhook ingress address")
	fs.StringVar(&p.erp, "erp-addr", "127.0.0.1:8090", "ERP simulator address")
	fs.StringVar(&p.shopify, "shopify-addr", "127.0.0.1:8091", "Shopify simulator address")
	fs.StringVar(&p.workerMet, "worker-metrics-addr", "127.0.0.1:9092", "worker /metrics address")
	fs.StringVar(&p.codec, "codec-addr", "127.0.0.1:8234", "codec server address (the Web UI decodes payloads through it)")
	fs.StringVar(&p.dataDir, "data-dir", ".data", "where Temporal's SQLite database lives")
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

func run() error {
	var p ports
	p.register(flag.CommandLine)
	flag.Parse()
	temporalAddr := "127.0.0.1:" + p.temporal

	root, err := devserver.RepoRoot()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	cli, err := devserver.CLIPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(p.dataDir, 0o755); err != nil {
		return err
	}
	enc, err := devEncryption(p.dataDir)
	if err != nil {
		return err
	}
	fmt.Println("building worker, starter and simulators into bin/ ...")
	build := exec.Command("go", "build", "-o", "bin/", "./worker", "./starter", "./simulators/erpsim/cmd/erpsim", "./simulators/shopifysim/cmd/shopifysim")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var group processGroup
	defer group.stopAll()

	temporalArgs := append([]string{"server", "start-dev",
		"--ip", "127.0.0.1", "--port", p.temporal, "--ui-port", p.webUI,
		"--db-filename", filepath.Join(p.dataDir, "temporal.db"),
		"--log-level", "warn", "--log-format", "json",
		"--ui-codec-endpoint", "http://" + p.codec,
	}, devserver.Args()...)
	if err := group.start("temporal", cli, temporalArgs, nil); err != nil {
		return err
	}
	if err := waitForTemporal(ctx, temporalAddr); err != nil {
		return err
	}

	shopSecrets := "SHOPFLOW_SHOP_SECRETS=" + devShop + "=" + devSecret
	services := []struct {
		name string
		args []string
		env  []string
	}{
		{"erpsim", []string{"-addr", p.erp, "-seed-products", "tools/dev/erp-products.json"}, nil},
		{"shopifysim", []string{"-addr", p.shopify, "-shop", devShop, "-token", devToken, "-webhook-secret", devSecret,
			"-seed-products", "100", "-webhook-url", "http://" + p.ingress + "/webhooks/shopify", "-allow-loopback-webhooks"}, nil},
		{"worker", []string{"--temporal-address", temporalAddr, "--erp-url", "http://" + p.erp, "--metrics-addr", p.workerMet,
			"--shopify-url", "http://" + p.shopify}, append([]string{"SHOPFLOW_SHOPIFY_TOKENS=" + devShop + "=" + devToken}, enc...)},
		{"starter", []string{"serve", "--temporal-address", temporalAddr, "--listen", p.ingress}, append([]string{shopSecrets}, enc...)},
	}
	for _, s := range services {
		if err := group.start(s.name, filepath.Join("bin", s.name), s.args, s.env); err != nil {
			return err
		}
	}
	// The codec server, for the Web UI: a command of the starter binary.
	if err := group.start("codec", filepath.Join("bin", "starter"), []string{"codec-server", "--listen", p.codec,
		"--ui-origin", "http://127.0.0.1:" + p.webUI + ",http://localhost:" + p.webUI}, codecEnv(enc)); err != nil {
		return err
	}

	n, err := mirrorCatalog(ctx, "http://"+p.shopify, "http://"+p.erp, devShop)
	if err != nil {
		return err
	}
	fmt.Printf("mirrored %d variants of the Shopify simulator's catalog into the ERP\n", n)
	if err := scheduleReconcilers(ctx, temporalAddr, enc); err != nil {
		return err
	}

	fmt.Printf(`
shopflow dev stack is up (Ctrl-C stops everything; data persists in %s/)
  Temporal frontend   %s
  Temporal Web UI     http://127.0.0.1:%s/namespaces/default/workflows
  webhook ingress     http://%s/webhooks/shopify   (metrics: /metrics, health: /healthz, /readyz)
  worker metrics      http://%s/metrics
  ERP simulator       http://%s   (ground truth: /admin/orders/{shop}/{order_id})
  Shopify simulator   http://%s   (GraphQL: %s, token %s)
  codec server        http://%s   (token %s; the Web UI decodes payloads through it)
  dev shop            %s
  webhook secret      %s
Send Shopify's sample orders/create, signed:
  SHOPFLOW_WEBHOOK_SECRET=%s bin/starter send-sample --shop %s
Or create an order in the Shopify simulator, which sends orders/create to the ingress:
  curl -X POST http://%s/sim/shops/%s/orders -d '{"lineItems":[{"productId":"1000000003","quantity":2}]}'

`, p.dataDir, temporalAddr, p.webUI, p.ingress, p.workerMet, p.erp, p.shopify, admin.GraphQLPath(admin.DefaultAPIVersion), devToken, p.codec, devCodecToken, devShop, devSecret, devSecret, devShop, p.shopify, devShop)

	select {
	case <-ctx.Done():
		fmt.Println("\nstopping ...")
		return nil
	case name := <-group.exited:
		return fmt.Errorf("%s exited; stopping the stack", name)
	}
}

// waitForTemporal waits until the dev server answers health checks.
func waitForTemporal(ctx context.Context, temporalAddr string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := client.Dial(client.Options{HostPort: temporalAddr, Logger: quietLogger{}})
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the Temporal server did not come up at %s: %w", temporalAddr, err)
		}
		select {
		case <-ctx.Done():
			return errors.New("interrupted")
		case <-time.After(300 * time.Millisecond):
		}
	}
}
