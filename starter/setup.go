package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/temporalclient"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/workflows"
)

// setupCommand prepares a Temporal cluster and a Shopify shop for shopflow.
func setupCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Prepare a Temporal cluster and a Shopify shop for shopflow",
	}
	cmd.AddCommand(setupSearchAttributesCommand(), setupWebhooksCommand())
	return cmd
}

func setupSearchAttributesCommand() *cobra.Command {
	var conn temporalclient.Options
	var names []string
	for _, k := range workflows.SearchAttributeKeys() {
		names = append(names, k.GetName())
	}
	cmd := &cobra.Command{
		Use:   "search-attributes",
		Short: "Register shopflow's custom search attributes in a namespace",
		Long: `Register the custom search attributes shopflow's workflows set (` + strings.Join(names, ", ") + `,
all Keyword) in the namespace. Workflows that set an unregistered attribute
fail their workflow task, and dead letters cannot be found by shop, topic or
failure kind without them, so run this once per namespace before the first
worker starts.

It is idempotent: attributes already registered with the right type are left
alone; one registered with another type is reported as an error.

The dev server (make dev, tests) registers them itself. On a self-hosted
cluster this uses the Operator API, which needs admin rights on the
frontend; with SQL (PostgreSQL, MySQL, SQLite) visibility attributes belong
to one namespace, with Elasticsearch to the cluster. On Temporal Cloud, if
the Operator API refuses the call, add them with
"tcld namespace search-attributes add" or in the Cloud UI instead.`,
		Example: `  TEMPORAL_ADDRESS=temporal.internal:7233 TEMPORAL_NAMESPACE=shopflow starter setup search-attributes`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := conn.Dial(logging.NewTo(cmd.ErrOrStderr(), "starter", slog.LevelWarn))
			if err != nil {
				return fmt.Errorf("connecting to Temporal at %s: %w", conn.Address, err)
			}
			defer c.Close()
			added, err := deadletters.EnsureSearchAttributes(cmd.Context(), c, conn.Namespace, workflows.SearchAttributeKeys())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(added) == 0 {
				fmt.Fprintf(out, "namespace %s: all %d search attributes already registered\n", conn.Namespace, len(names))
				return nil
			}
			fmt.Fprintf(out, "namespace %s: registered %s\n", conn.Namespace, strings.Join(added, ", "))
			return nil
		},
	}
	goFlags := flag.NewFlagSet("temporal", flag.ContinueOnError)
	conn.RegisterFlags(goFlags)
	cmd.Flags().AddGoFlagSet(goFlags)
	return cmd
}
