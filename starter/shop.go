package main

import (
	"flag"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/shopwork"
	"github.com/shopflow/shopflow/internal/temporalclient"
	"github.com/shopflow/shopflow/workflows"
)

func shopCommand() *cobra.Command {
	var conn temporalclient.Options
	cmd := &cobra.Command{Use: "shop", Short: "A shop's scheduled work: resume it after a reinstall"}
	goFlags := flag.NewFlagSet("temporal", flag.ContinueOnError)
	conn.RegisterFlags(goFlags)
	cmd.PersistentFlags().AddGoFlagSet(goFlags)

	var shop string
	resume := &cobra.Command{
		Use:   "resume",
		Short: "Unpause the schedules app/uninstalled paused, when the shop reinstalls the app",
		Long: `Unpause the shop's schedules that app/uninstalled paused (their note says so);
schedules an operator paused stay paused. Backfills that app/uninstalled
cancelled resume when started again with the same name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if shop == "" {
				return fmt.Errorf("--shop is required")
			}
			logger := logging.NewTo(cmd.ErrOrStderr(), "starter", slog.LevelWarn)
			dc, err := conn.DataConverter(logger)
			if err != nil {
				return err
			}
			c, err := conn.Dial(logger)
			if err != nil {
				return fmt.Errorf("connecting to Temporal at %s: %w", conn.Address, err)
			}
			defer c.Close()
			w := shopwork.Work{Client: c, Namespace: conn.Namespace, DataConverter: dc, Shop: shop, ShopAttribute: workflows.ShopDomainKey.GetName()}
			ids, err := w.ResumeSchedules(cmd.Context(), shopwork.UninstalledNote)
			for _, id := range ids {
				fmt.Fprintf(cmd.OutOrStdout(), "resumed schedule %s\n", id)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d schedules resumed\n", shop, len(ids))
			return nil
		},
	}
	resume.Flags().StringVar(&shop, "shop", "", "the shop's myshopify domain")
	cmd.AddCommand(resume)
	return cmd
}
