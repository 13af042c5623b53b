package reconcile

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/temporalclient"
	"github.com/shopflow/shopflow/workflows"
	wfreconcile "github.com/shopflow/shopflow/workflows/reconcile"
)

// Command is "starter reconcile": schedule, run-now and status.
func Command() *cobra.Command {
	var conn temporalclient.Options
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Schedule, run and watch the reconcilers of a shop",
		Long: `Reconcilers compare a kind of state between Shopify and the ERP and correct
the drift, on Temporal Schedules: one per shop and reconciler, running on the
reconcile task queue (` + wfreconcile.TaskQueue + `) with overlap policy Skip and a catch-up
window. The schedules are visible, pausable and triggerable in the Web UI too
(Schedules, IDs reconcile/<reconciler>/<shop>).

Reconcilers:
` + reconcilersHelp(),
		Example: `  starter reconcile schedule --shop acme.myshopify.com --truth erp --grace 10m
  starter reconcile run-now --shop acme.myshopify.com
  starter reconcile status`,
	}
	goFlags := flag.NewFlagSet("temporal", flag.ContinueOnError)
	conn.RegisterFlags(goFlags)
	cmd.PersistentFlags().AddGoFlagSet(goFlags)
	dial := func(c *cobra.Command) (client.Client, error) {
		tc, err := conn.Dial(logging.NewTo(c.ErrOrStderr(), "starter", slog.LevelWarn))
		if err != nil {
			return nil, fmt.Errorf("connecting to Temporal at %s: %w", conn.Address, err)
		}
		return tc, nil
	}
	cmd.AddCommand(scheduleCommand(dial), runNowCommand(dial), statusCommand(dial))
	return cmd
}

type dialer func(*cobra.Command) (client.Client, error)

func reconcilersHelp() string {
	var b strings.Builder
	for _, d := range wfreconcile.Reconcilers() {
		fmt.Fprintf(&b, "  %-12s %s (workflow %s)\n", shortName(d.Name), d.Summary, d.Name)
	}
	return strings.TrimRight(b.String(), "\n")
}

// shortName is "inventory" for ReconcileInventory.
func shortName(reconciler string) string {
	return strings.ToLower(strings.TrimPrefix(reconciler, "Reconcile"))
}

// resolve turns "all", a short name or a workflow type into workflow
// types.
func resolve(name string) ([]string, error) {
	var all, names []string
	for _, d := range wfreconcile.Reconcilers() {
		all = append(all, d.Name)
		if strings.EqualFold(name, d.Name) || strings.EqualFold(name, shortName(d.Name)) {
			return []string{d.Name}, nil
		}
		names = append(names, shortName(d.Name))
	}
	if name == "all" {
		return all, nil
	}
	return nil, fmt.Errorf("unknown reconciler %q: want all or one of %s", name, strings.Join(names, ", "))
}

// settings are the flags of schedule: every reconciler's input is made
// from them.
type settings struct {
	shop, reconciler, truth, taskQueue string
	orderSyncQueue                     string
	interval, catchup, grace           time.Duration
	ordersWindow, ordersFullWindow     time.Duration
	tolerance                          activities.Tolerance
	bulkThreshold                      int
	dryRun, paused                     bool
}

// input is the reconciler's workflow input.
func (s settings) input(reconciler string) (any, error) {
	truth, err := activities.ParseTruth(s.truth)
	if err != nil {
		return nil, err
	}
	switch reconciler {
	case wfreconcile.InventoryName:
		return wfreconcile.InventoryInput{
			Shop: s.shop, Truth: truth, Tolerance: s.tolerance, GraceWindow: s.grace, DryRun: s.dryRun,
			BulkThreshold: s.bulkThreshold, Interval: s.interval,
		}, nil
	case wfreconcile.OrdersName:
		return wfreconcile.OrdersInput{Shop: s.shop, Window: s.ordersWindow, FullWindow: s.ordersFullWindow, OrderSyncTaskQueue: s.orderSyncQueue, DryRun: s.dryRun, Interval: s.interval}, nil
	}
	return nil, fmt.Errorf("reconciler %s has no input defined in starter/reconcile", reconciler)
}

func scheduleCommand(dial dialer) *cobra.Command {
	var s settings
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Create or update the schedules of a shop's reconcilers (idempotent)",
		Long: `Create the schedule of each reconciler for the shop, or update it to these
settings if it exists; running it again with the same settings changes nothing.
An update leaves a paused schedule paused.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := resolve(s.reconciler)
			if err != nil {
				return err
			}
			c, err := dial(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			for _, name := range names {
				in, err := s.input(name)
				if err != nil {
					return err
				}
				spec := Spec{Reconciler: name, Shop: s.shop, Interval: s.interval, CatchupWindow: s.catchup, Input: in, TaskQueue: s.taskQueue, Paused: s.paused}
				created, err := Apply(cmd.Context(), c, spec)
				if err != nil {
					return err
				}
				verb := "updated"
				if created {
					verb = "created"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s schedule %s: every %s\n", verb, spec.ID(), spec.withDefaults().Interval)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&s.shop, "shop", "", "the shop's myshopify domain (required)")
	f.StringVar(&s.reconciler, "reconciler", "all", "which reconciler: all, or one of the names above")
	f.StringVar(&s.truth, "truth", string(activities.TruthShopify), "which side is right when they differ: erp or shopify")
	f.DurationVar(&s.interval, "interval", DefaultInterval, "time between runs")
	f.DurationVar(&s.catchup, "catchup-window", DefaultCatchupWindow, "how late a run missed during an outage is still made up")
	f.DurationVar(&s.grace, "grace", activities.DefaultGraceWindow, "leave items changed this recently on either side to the next run (a webhook may be on its way)")
	f.IntVar(&s.tolerance.Absolute, "tolerance-abs", 0, "differences of at most this many units are not drift")
	f.Float64Var(&s.tolerance.Percent, "tolerance-pct", 0, "differences of at most this percentage of the truth's quantity are not drift")
	f.IntVar(&s.bulkThreshold, "bulk-threshold", wfreconcile.DefaultBulkThreshold, "read Shopify by bulk query above this many inventory items, else page (negative: always page)")
	f.BoolVar(&s.dryRun, "dry-run", false, "correct nothing; report what would be corrected")
	f.BoolVar(&s.paused, "paused", false, "create or leave the schedule paused")
	f.DurationVar(&s.ordersWindow, "orders-window", wfreconcile.DefaultOrdersWindow, "orders: look at orders updated this far back (keep it above the interval)")
	f.DurationVar(&s.ordersFullWindow, "orders-full-window", wfreconcile.DefaultOrdersFullWindow, "orders: the window of the day's full run, the first after midnight UTC")
	f.StringVar(&s.taskQueue, "task-queue", wfreconcile.TaskQueue, "task queue of the reconcile workers")
	f.StringVar(&s.orderSyncQueue, "order-sync-task-queue", workflows.TaskQueue, "orders: task queue of the webhook workers that sync an order")
	cmd.MarkFlagRequired("shop")
	return cmd
}

func runNowCommand(dial dialer) *cobra.Command {
	var shop, reconciler string
	cmd := &cobra.Command{
		Use:   "run-now",
		Short: "Run a shop's reconcilers now, through their schedules",
		Long: `Trigger each schedule once, now, with its own settings. If a run is still
going, none is added (overlap policy Skip).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			names, err := resolve(reconciler)
			if err != nil {
				return err
			}
			c, err := dial(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			for _, name := range names {
				if err := RunNow(cmd.Context(), c, name, shop); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "triggered %s for %s\n", name, shop)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&shop, "shop", "", "the shop's myshopify domain (required)")
	cmd.Flags().StringVar(&reconciler, "reconciler", "all", "which reconciler: all, or one of the names in starter reconcile --help")
	cmd.MarkFlagRequired("shop")
	return cmd
}

func statusCommand(dial dialer) *cobra.Command {
	var shop string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the reconciliation schedules: state, last and next run, misses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := dial(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			st, err := Statuses(cmd.Context(), c, shop)
			if err != nil {
				return err
			}
			return PrintStatuses(cmd.OutOrStdout(), st)
		},
	}
	cmd.Flags().StringVar(&shop, "shop", "", "only this shop's schedules")
	return cmd
}
