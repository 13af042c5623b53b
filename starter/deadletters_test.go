package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// runCommand runs a command as an operator would, with stdin, and returns
// its stdout.
func runCommand(t *testing.T, cmd *cobra.Command, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	testenv.SetEncryptionEnv(t) // the commands read the stacks' keys from the environment
	cmd.SetArgs(append(args, "--temporal-address", testenv.FrontendAddress(t)))
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	t.Logf("starter %s:\n%s%s", strings.Join(args, " "), out.String(), errOut.String())
	return out.String(), err
}

// The operator loop through the cobra commands: list, show, a refused and
// a dry-run replay, the fix, a confirmed replay, count.
func TestDeadlettersCommands(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{Config: workflows.Config{
		Retry:           activities.RetryPolicy{Initial: 100 * time.Millisecond, Coefficient: 1, Max: time.Second, MaxAttempts: 2},
		ActivityTimeout: 5 * time.Second,
	}})
	testenv.SeedSampleProducts(t, s.ERP)
	const sku = "SKU-CLI-LATER"
	body := testenv.SampleOrder(t, 9901, append(testenv.SampleSKUs[:4:4], sku)...)
	if got := s.Deliver(t, "orders/create", "wh-cli", body); got != http.StatusOK {
		t.Fatalf("ingress answered %d", got)
	}
	var appErr *temporal.ApplicationError
	if err := s.Wait(t, "wh-cli"); !errors.As(err, &appErr) || appErr.Type() != activities.FailureProductNotFound {
		t.Fatalf("workflow ended with %v, want ProductNotFound", err)
	}
	id := s.WorkflowID("wh-cli")
	s.AwaitVisible(t, fmt.Sprintf(`WorkflowId = %q AND ExecutionStatus = "Failed"`, id), 1)
	tq := "--task-queue=" + s.TaskQueue

	out, err := runCommand(t, deadlettersCommand(), "", "list", tq, "--kind", "ProductNotFound", "--since", "1h")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"WORKFLOW ID", id, s.Shop, "orders/create", "ProductNotFound", "gid://shopify/Order/9901", "Sync new order"} {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q", want)
		}
	}
	if out, err = runCommand(t, deadlettersCommand(), "", "list", tq, "--json"); err != nil || !strings.Contains(out, `"workflow_id": "`+id+`"`) {
		t.Errorf("list --json: %v, output %q", err, out)
	}

	out, err = runCommand(t, deadlettersCommand(), "", "show", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"open dead letter", "ProductNotFound", sku, "MapLineItems", "1 attempt(s) of 2", "NonRetryableFailure"} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q", want)
		}
	}
	if strings.Contains(out, "shipping_address") {
		t.Error("show printed the payload without --payload")
	}
	if out, _ = runCommand(t, deadlettersCommand(), "", "show", "--payload", id); !strings.Contains(out, "shipping_address") {
		t.Error("show --payload did not print the payload")
	}

	if _, err := runCommand(t, deadlettersCommand(), "", "replay"); err == nil {
		t.Error("replay without a workflow ID or --kind succeeded")
	}
	if out, err = runCommand(t, deadlettersCommand(), "", "replay", "--kind=ProductNotFound", tq, "--dry-run"); err != nil || !strings.Contains(out, "dry run") || !strings.Contains(out, id) {
		t.Errorf("dry run: %v, output %q", err, out)
	}
	if _, err = runCommand(t, deadlettersCommand(), "n\n", "replay", "--kind=ProductNotFound", tq); err == nil {
		t.Error("replay answered no went ahead")
	}

	if _, err := s.ERP.PutProduct(erpsim.Product{SKU: sku, Name: "Added later", ShopifyProductID: 9200}); err != nil {
		t.Fatal(err)
	}
	out, err = runCommand(t, deadlettersCommand(), "y\n", "replay", "--kind=ProductNotFound", tq, "--wait=1m")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 replayed: 1 completed") {
		t.Errorf("replay report lacks %q", "1 replayed: 1 completed")
	}
	if invoices, _ := s.ERP.OrderRecords(s.Shop, 9901); len(invoices) != 1 {
		t.Errorf("%d invoices in the ERP, want 1", len(invoices))
	}
	if out, err = runCommand(t, deadlettersCommand(), "", "count", tq); err != nil || !strings.Contains(out, "total") || strings.Contains(out, "ProductNotFound") {
		t.Errorf("count after the replay: %v, output %q; want a zero total", err, out)
	}
}

func TestSetupSearchAttributesIsIdempotent(t *testing.T) {
	out, err := runCommand(t, setupCommand(), "", "search-attributes")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "already registered") {
		t.Errorf("output %q, want all already registered (the dev server registers them)", out)
	}
}
