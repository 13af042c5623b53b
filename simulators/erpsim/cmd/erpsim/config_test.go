package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestFaultFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "faults.json")
	os.WriteFile(file, []byte(`[{"kind":"error","status":502,"count":1}]`), 0o600)
	cfg, err := parseFlags([]string{
		"-faults-file", file,
		"-fault-path-prefix", "/v1/invoices",
		"-fault-5xx-rate", "0.1",
		"-fault-429-rate", "0.2", "-fault-retry-after", "0.5",
		"-fault-latency", "200ms",
		"-fault-commit-then-timeout-rate", "0.05",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.faults()
	if err != nil {
		t.Fatal(err)
	}
	want := []erpsim.Fault{
		{Kind: erpsim.FaultError, Status: 502, Count: 1},
		{Kind: erpsim.FaultCommitThenTimeout, PathPrefix: "/v1/invoices", Probability: 0.05},
		{Kind: erpsim.FaultError, Status: 503, PathPrefix: "/v1/invoices", Probability: 0.1},
		{Kind: erpsim.FaultRateLimit, RetryAfter: "0.5", PathPrefix: "/v1/invoices", Probability: 0.2},
		{Kind: erpsim.FaultLatency, Latency: 200 * time.Millisecond, PathPrefix: "/v1/invoices", Probability: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("faults = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fault %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if err := erpsim.New(erpsim.Options{Logger: slog.New(slog.DiscardHandler)}).SetFaults(got); err != nil {
		t.Errorf("the simulator rejects the flag rules: %v", err)
	}

	none, err := parseFlags(nil)
	if err != nil || none.addr != "127.0.0.1:8090" {
		t.Fatalf("defaults: %+v, %v", none, err)
	}
	if f, _ := none.faults(); len(f) != 0 {
		t.Errorf("no fault flags gave rules %+v", f)
	}
	if _, err := parseFlags([]string{"stray"}); err == nil {
		t.Error("a stray argument was accepted")
	}
}

func TestSeedProducts(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`[{"sku":"MUG","name":"Mug","shopify_product_id":9},{"sku":"MUG-RED","name":"Red mug","shopify_product_id":9,"shopify_variant_id":91}]`), 0o600)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"sku":"MUG"}]`), 0o600)

	sim := erpsim.New(erpsim.Options{Logger: slog.New(slog.DiscardHandler)})
	if n, err := seedProducts(sim, good); err != nil || n != 2 {
		t.Errorf("seed good file = %d, %v", n, err)
	}
	if _, err := seedProducts(sim, bad); err == nil {
		t.Error("seeding an invalid product succeeded")
	}
	if _, err := seedProducts(sim, filepath.Join(dir, "missing.json")); err == nil {
		t.Error("seeding a missing file succeeded")
	}
}
