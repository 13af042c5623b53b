// Command starter is shopflow's front door and operator tool: it serves the
// Shopify webhook ingress and holds the commands operators run.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/starter/backfill"
	"github.com/shopflow/shopflow/starter/reconcile"
)

func main() {
	root := &cobra.Command{
		Use:   "starter",
		Short: "shopflow's webhook ingress and operator commands",
		// Errors are printed once by main, not again with the usage text.
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(serveCommand(), sendSampleCommand(), deadlettersCommand(), setupCommand(), codecServerCommand(), shopCommand(), backfill.Command(), reconcile.Command())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "starter:", err)
		os.Exit(1)
	}
}
