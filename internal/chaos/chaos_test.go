package chaos_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/shopflow/shopflow/internal/chaos"
	"github.com/shopflow/shopflow/internal/temporalserver"
	"github.com/shopflow/shopflow/internal/testenv"
)

// -chaos.orders sizes the runs: `make chaos` passes 10,000.
var (
	devOrders = flag.Int("chaos.orders", 500, "orders of the chaos run on the dev server")
	pgOrders  = flag.Int("chaos.pg-orders", 200, "orders of the chaos run on the Temporal server on PostgreSQL")
)

// TestChaosDevServer is the chaos run on a file-backed dev server, the dev
// stack's Temporal, restarted once mid-run.
func TestChaosDevServer(t *testing.T) {
	worker := testenv.BuildWorker(t)
	ctx := context.Background()
	srv, err := chaos.StartDevServer(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	rep, err := chaos.Run(ctx, srv, chaos.Config{
		Orders: *devOrders, WorkerBinary: worker, Timeout: 20*time.Minute + time.Duration(*devOrders)*200*time.Millisecond, Logf: t.Logf,
	})
	if err != nil {
		t.Fatalf("promises broken:\n%v", err)
	}
	t.Logf("passed: %s", rep)
}

// TestChaosTemporalOnPostgres is the chaos run on the real Temporal server
// on PostgreSQL (internal/temporalserver), SIGKILLed and restarted once
// mid-run.
func TestChaosTemporalOnPostgres(t *testing.T) {
	if err := temporalserver.Available(); err != nil {
		t.Fatalf("the Temporal server on PostgreSQL cannot run here: %v", err)
	}
	worker := testenv.BuildWorker(t)
	ctx := context.Background()
	srv, err := temporalserver.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	})
	rep, err := chaos.Run(ctx, srv, chaos.Config{
		Orders: *pgOrders, WorkerBinary: worker, Timeout: 20*time.Minute + time.Duration(*pgOrders)*200*time.Millisecond, Logf: t.Logf,
	})
	if err != nil {
		t.Fatalf("promises broken:\n%v", err)
	}
	t.Logf("passed: %s", rep)
}
