// Command erpsim serves the ERP simulator over HTTP for local runs and
// end-to-end tests.
//
// Usage:
//
//	erpsim [-addr 127.0.0.1:8090] [-seed-products products.json]
//	       [-fault-5xx-rate 0.1] [-fault-429-rate 0.1] [-fault-latency 200ms]
//	       [-fault-commit-then-timeout-rate 0.05] [-faults-file faults.json]
//
// Faults can be changed at run time with POST /admin/faults and cleared with
// DELETE /admin/faults.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/shopflow/shopflow/internal/httpserver"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "erpsim:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	sim := erpsim.New(erpsim.Options{
		Logger:       log,
		KeyTTL:       cfg.keyTTL,
		MaxBodyBytes: cfg.maxBodyBytes,
		FaultSeed:    cfg.faultSeed,
		StrictSKUs:   cfg.strictSKUs,
	})
	faults, err := cfg.faults()
	if err != nil {
		return err
	}
	if err := sim.SetFaults(faults); err != nil {
		return err
	}
	if cfg.seedProducts != "" {
		n, err := seedProducts(sim, cfg.seedProducts)
		if err != nil {
			return err
		}
		log.Info("seeded products", slog.Int("count", n))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := sim.HTTPServer(cfg.addr, cfg.writeTimeout)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("erpsim listening", slog.String("addr", ln.Addr().String()), slog.Int("faults", len(faults)))

	return httpserver.Run(ctx, srv, ln)
}
