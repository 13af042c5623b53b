package backfill_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/starter/backfill"
	"github.com/shopflow/shopflow/worker/wiring"
	wfbackfill "github.com/shopflow/shopflow/workflows/backfill"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// cli runs "starter backfill args..." against the stack and returns its
// output.
type cli struct {
	t        *testing.T
	s        *testenv.Stack
	temporal client.Client
	queue    string
}

func (c cli) run(args ...string) (string, error) {
	cmd := backfill.Command()
	var out, stderr bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&stderr)
	cmd.SetArgs(append(args, "--temporal-address", testenv.FrontendAddress(c.t), "--erp-url", c.s.ERPURL, "--task-queue", c.queue))
	err := cmd.ExecuteContext(context.Background())
	return strings.TrimSpace(out.String()), err
}

func (c cli) must(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("starter backfill %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func newCLI(t *testing.T, products int) (cli, *testenv.Stack) {
	t.Helper()
	s := testenv.NewStack(t, testenv.Options{})
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: products}); err != nil {
		t.Fatal(err)
	}
	catalog, err := s.Shopify.Catalog(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range catalog {
		var id int64
		fmt.Sscanf(p.ID, "gid://shopify/Product/%d", &id)
		if _, err := s.ERP.PutProductMaster(erpsim.ProductMaster{ShopifyProductID: id, Material: fmt.Sprintf("wool-%d", i%4), CountryOfOrigin: "PT", HSCode: "6110.11"}); err != nil {
			t.Fatal(err)
		}
	}
	// The commands read their encryption settings from the environment, as
	// in production; the test's worker and client encrypt the same way.
	procEnv, tc := testenv.ProcessEncryption(t)
	for _, kv := range procEnv {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	c := cli{t: t, s: s, temporal: tc, queue: s.TaskQueue + "-backfill"}
	w := worker.New(tc, c.queue, worker.Options{})
	wiring.Register(w, wiring.Backfill, s.Deps(testenv.Options{}))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return c, s
}

// TestCommandsControlARunningBackfill is Done-when 4: pause, resume and
// set-rate from the command line take effect within one batch, and status,
// cancel and report do what they say.
func TestCommandsControlARunningBackfill(t *testing.T) {
	const products, batch = 200, 10
	c, s := newCLI(t, products)
	ops := backfill.Ops{Temporal: c.temporal, TaskQueue: c.queue}
	ctx := context.Background()

	for _, sub := range []string{"start", "status", "pause", "resume", "set-rate", "cancel", "report", "rollback"} {
		if out := c.must(sub, "--help"); !strings.Contains(out, "Usage:") {
			t.Fatalf("%s --help printed no usage:\n%s", sub, out)
		}
	}

	// 600 products a minute: a batch of 10 a second.
	id := c.must("start", "metafields", "--shop", s.Shop, "--batch-size", fmt.Sprint(batch), "--max-rate", "600", "--name", "paced")
	if !strings.HasPrefix(id, "backfill/metafields/"+s.Shop+"/paced") {
		t.Fatalf("start printed %q", id)
	}
	waitFor(t, "two batches", func() bool { p, err := ops.Progress(ctx, id); return err == nil && p.Batch >= 2 })
	if out := c.must("status", id, "--once"); !strings.Contains(out, "running") || !strings.Contains(out, fmt.Sprintf("/%d", products)) {
		t.Fatalf("status printed %q", out)
	}

	out := c.must("pause", id)
	if !strings.Contains(out, "paused") {
		t.Fatalf("pause answered %q", out)
	}
	paused, _ := ops.Progress(ctx, id)
	time.Sleep(2500 * time.Millisecond) // two and a half batches at the old rate
	still, _ := ops.Progress(ctx, id)
	if still.Done > paused.Done+batch {
		t.Fatalf("paused at %d done, %d done 2.5 s later: more than the batch in flight", paused.Done, still.Done)
	}
	time.Sleep(1500 * time.Millisecond)
	if later, _ := ops.Progress(ctx, id); later.Done != still.Done {
		t.Fatalf("a paused backfill went on: %d then %d", still.Done, later.Done)
	}

	if out := c.must("set-rate", id, "6000"); !strings.Contains(out, "cap 6000/min") {
		t.Fatalf("set-rate answered %q", out)
	}
	if out := c.must("resume", id); !strings.Contains(out, "running") {
		t.Fatalf("resume answered %q", out)
	}
	// At 6,000 a minute the rest (at most 180 products) takes about 2 s;
	// at the old rate it would take 18 s.
	resumed := time.Now()
	var final wfbackfill.Progress
	if err := c.temporal.GetWorkflow(ctx, id, "").Get(ctx, &final); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(resumed); d > 10*time.Second {
		t.Fatalf("after set-rate 6000 the rest took %s", d)
	}
	if final.Done != products || final.Changed != products || !final.Finished {
		t.Fatalf("final progress %+v", final.State)
	}
	if out := c.must("status", id, "--once"); !strings.Contains(out, "finished") || !strings.Contains(out, "100%") {
		t.Fatalf("status of a finished backfill: %q", out)
	}
	var state wfbackfill.Progress
	if err := json.Unmarshal([]byte(c.must("status", id, "--json")), &state); err != nil || len(state.Sample) == 0 || state.Done != products {
		t.Fatalf("status --json: %+v, %v", state, err)
	}
	if _, err := c.run("pause", id); err == nil {
		t.Fatal("pausing a finished backfill succeeded")
	}

	// report: one JSON line per field written.
	report := c.must("report", id)
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(report))
	for sc.Scan() {
		var l backfill.ReportLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("report line %q: %v", sc.Text(), err)
		}
		if l.Outcome != "changed" || l.After == nil || l.Before != nil {
			t.Fatalf("report line %+v", l)
		}
		lines++
	}
	if lines != final.Fields || lines != 3*products {
		t.Fatalf("report has %d lines, the backfill changed %d fields", lines, final.Fields)
	}

	// cancel: a slow second backfill ends canceled, and rollback refuses
	// a running one.
	slow := c.must("start", "metafields", "--shop", s.Shop, "--batch-size", "5", "--max-rate", "60", "--name", "slow", "--dry-run")
	if _, err := c.run("rollback", slow); err == nil || !strings.Contains(err.Error(), "cancel it first") {
		t.Fatalf("rollback of a running backfill: %v", err)
	}
	c.must("cancel", slow)
	err := c.temporal.GetWorkflow(ctx, slow, "").Get(ctx, nil)
	var canceled *temporal.CanceledError
	if !errors.As(err, &canceled) {
		t.Fatalf("a canceled backfill ended with %v", err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
