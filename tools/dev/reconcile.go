package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// scheduleReconcilers creates (or, on a restart, updates) the dev shop's
// reconciliation schedules, as an operator would with
// `starter reconcile schedule`: Shopify is the truth of the dev shop, the
// simulator being where stock changes.
func scheduleReconcilers(ctx context.Context, temporalAddr string, enc []string) error {
	cmd := exec.CommandContext(ctx, filepath.Join("bin", "starter"), "reconcile", "schedule",
		"--shop", devShop, "--truth", "shopify", "--temporal-address", temporalAddr)
	cmd.Env = append(os.Environ(), enc...) // the stack's payload encryption
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("scheduling the dev shop's reconcilers: %w", err)
	}
	return nil
}
