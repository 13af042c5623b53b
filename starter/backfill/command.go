package backfill

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/env"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/temporalclient"
	wfbackfill "github.com/shopflow/shopflow/workflows/backfill"
)

// Command is "starter backfill" and its subcommands.
func Command() *cobra.Command {
	var (
		conn      temporalclient.Options
		erpURL    string
		taskQueue string
	)
	cmd := &cobra.Command{
		Use:   "backfill",
		Short: "Start, watch, pause, resume, re-rate, cancel, report and roll back backfills",
		Long: `A backfill brings many items in line between the ERP and Shopify, in batches,
on its own task queue (` + wfbackfill.TaskQueue + `), so that it never delays webhook work.

Kinds:
` + kindsHelp() + `

The usual loop:
  starter backfill start metafields --shop shop.myshopify.com --dry-run
  starter backfill status <id>          (a live progress bar)
  starter backfill report <id> | head   (what would change, as JSON Lines)
  starter backfill start metafields --shop shop.myshopify.com --max-rate 3000
  starter backfill pause|resume <id>;  starter backfill set-rate <id> 6000
  starter backfill rollback <id>        (after it ended or was canceled)

Every write is idempotent and recorded, with the value before, in the ERP's
backfill record store before it is made: a rerun or a redone batch changes
nothing twice, and rollback restores exactly what the backfill changed.`,
	}
	goFlags := flag.NewFlagSet("temporal", flag.ContinueOnError)
	conn.RegisterFlags(goFlags)
	cmd.PersistentFlags().AddGoFlagSet(goFlags)
	cmd.PersistentFlags().StringVar(&erpURL, "erp-url", env.Or("SHOPFLOW_ERP_URL", "http://127.0.0.1:8090"), "base URL of the ERP, which holds the backfill records (env SHOPFLOW_ERP_URL)")
	cmd.PersistentFlags().StringVar(&taskQueue, "task-queue", wfbackfill.TaskQueue, "task queue of the backfill workers")

	dial := func(c *cobra.Command) (Ops, func(), error) {
		tc, err := conn.Dial(logging.NewTo(c.ErrOrStderr(), "starter", slog.LevelWarn))
		if err != nil {
			return Ops{}, nil, fmt.Errorf("connecting to Temporal at %s: %w", conn.Address, err)
		}
		return Ops{Temporal: tc, Store: erp.New(erpURL, erp.NewHTTPClient(30*time.Second)), TaskQueue: taskQueue}, tc.Close, nil
	}
	cmd.AddCommand(startCommand(dial), statusCommand(dial), updateCommand(dial, "pause", "Pause a backfill after its current batch", Ops.Pause),
		updateCommand(dial, "resume", "Resume a paused backfill", Ops.Resume), setRateCommand(dial), cancelCommand(dial),
		reportCommand(dial), rollbackCommand(dial))
	return cmd
}

// dialer connects a command to Temporal and the record store.
type dialer func(*cobra.Command) (Ops, func(), error)

func kindsHelp() string {
	var b strings.Builder
	for _, k := range wfbackfill.Kinds() {
		fmt.Fprintf(&b, "  %-12s %s (workflow %s)\n", k.Name, k.Summary, k.Workflow)
	}
	return strings.TrimRight(b.String(), "\n")
}

func startCommand(dial dialer) *cobra.Command {
	var (
		p    wfbackfill.Params
		name string
	)
	cmd := &cobra.Command{
		Use:   "start <kind> --shop <shop>",
		Short: "Start a backfill (dry-run first) and print its ID",
		Long: `Start a backfill of a kind on a shop and print its ID. Run it with --dry-run
first: it reads both sides and records what would change, changing nothing;
"report" prints that diff. Then start the real run.

Kinds:
` + kindsHelp(),
		Example: `  starter backfill start metafields --shop shop.myshopify.com --dry-run
  starter backfill start metafields --shop shop.myshopify.com --batch-size 100 --max-rate 3000 --filter "vendor:Acme"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withOps(cmd, dial, func(ops Ops) error {
				id, err := ops.Start(cmd.Context(), args[0], name, p)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), id)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&p.Shop, "shop", "", "the shop's myshopify domain (required)")
	cmd.Flags().BoolVar(&p.DryRun, "dry-run", false, "read and record what would change; change nothing")
	cmd.Flags().IntVar(&p.BatchSize, "batch-size", wfbackfill.DefaultBatchSize, fmt.Sprintf("items per batch (1-%d)", wfbackfill.MaxBatchSize))
	cmd.Flags().Float64Var(&p.MaxRate, "max-rate", 0, "at most this many items a minute (0: as fast as the Shopify budget allows)")
	cmd.Flags().StringVar(&p.Filter, "filter", "", `only items matching this query (metafields: Shopify product search, e.g. "vendor:Acme")`)
	cmd.Flags().StringVar(&name, "name", "", "the backfill's name within its ID (default: the start time)")
	_ = cmd.MarkFlagRequired("shop")
	return cmd
}

func statusCommand(dial dialer) *cobra.Command {
	var (
		once, asJSON bool
		interval     time.Duration
	)
	cmd := &cobra.Command{
		Use:   "status <id>",
		Short: "Show a backfill's (or a rollback's) progress as a live progress bar",
		Long: `Show a backfill's progress: done of total, changed, skipped, failed, rate and
ETA, redrawn every --interval until it finishes (Ctrl-C stops watching, not the
backfill). With --once, or when the output is not a terminal, print one line;
with --json, the whole state with the first changes (a sample of the diff).
A rollback ID (rollback/...) shows restored, left alone and failed fields.`,
		Example: `  starter backfill status backfill/metafields/shop.myshopify.com/20260501T120000Z
  starter backfill status --once rollback/backfill/metafields/shop.myshopify.com/20260501T120000Z`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withOps(cmd, dial, func(ops Ops) error {
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
				defer stop()
				out := cmd.OutOrStdout()
				if asJSON {
					return printJSON(ctx, ops, args[0], out)
				}
				live := !once && isTerminal(out)
				for {
					line, finished, err := statusLine(ctx, ops, args[0])
					if err != nil {
						return err
					}
					if !live {
						fmt.Fprintln(out, line)
						return nil
					}
					fmt.Fprintf(out, "\r\033[K%s", line)
					if finished {
						fmt.Fprintln(out)
						return nil
					}
					select {
					case <-ctx.Done():
						fmt.Fprintln(out)
						return nil
					case <-time.After(interval):
					}
				}
			})
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "print the progress once and return")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole state once as JSON, with a sample of the diff")
	cmd.Flags().DurationVar(&interval, "interval", time.Second, "how often the live bar is redrawn")
	return cmd
}

// statusLine renders the progress of a backfill or a rollback ID.
func statusLine(ctx context.Context, ops Ops, id string) (string, bool, error) {
	if strings.HasPrefix(id, "rollback/") {
		p, err := ops.RollbackProgress(ctx, id)
		return RollbackLine(p), p.Finished, err
	}
	p, err := ops.Progress(ctx, id)
	return Line(p), p.Finished, err
}

func updateCommand(dial dialer, use, short string, op func(Ops, context.Context, string) (wfbackfill.Progress, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use + " <id>",
		Short: short,
		Long: short + `. It goes through a Workflow Update, so it answers with the
backfill's state once the backfill has taken it; it takes effect at the end of
the batch in flight.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return printProgress(cmd, dial, func(ctx context.Context, ops Ops) (wfbackfill.Progress, error) {
				return op(ops, ctx, args[0])
			})
		},
	}
}

// printProgress dials, runs op and prints the state it answers with.
func printProgress(cmd *cobra.Command, dial dialer, op func(context.Context, Ops) (wfbackfill.Progress, error)) error {
	return withOps(cmd, dial, func(ops Ops) error {
		p, err := op(cmd.Context(), ops)
		if err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), Line(p))
		return nil
	})
}

func setRateCommand(dial dialer) *cobra.Command {
	return &cobra.Command{
		Use:   "set-rate <id> <items-per-minute>",
		Short: "Change a backfill's rate cap (0: no cap)",
		Long: `Change a running backfill's cap on items per minute; 0 removes the cap (the
Shopify budget still bounds it). It goes through a Workflow Update and answers
with the new state; the next batch runs at the new rate, and a batch waiting
out the old rate stops waiting at once.`,
		Example: `  starter backfill set-rate backfill/metafields/shop.myshopify.com/20260501T120000Z 1500`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			rate, err := strconv.ParseFloat(args[1], 64)
			if err != nil {
				return fmt.Errorf("the rate %q is not a number of items per minute", args[1])
			}
			return printProgress(cmd, dial, func(ctx context.Context, ops Ops) (wfbackfill.Progress, error) {
				return ops.SetRate(ctx, args[0], rate)
			})
		},
	}
}

func cancelCommand(dial dialer) *cobra.Command {
	return &cobra.Command{
		Use:   "cancel <id>",
		Short: "Cancel a backfill; what it wrote stays, and can be rolled back",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withOps(cmd, dial, func(ops Ops) error {
				if err := ops.Cancel(cmd.Context(), args[0]); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "cancel requested:", args[0])
				return nil
			})
		},
	}
}

func reportCommand(dial dialer) *cobra.Command {
	return &cobra.Command{
		Use:   "report <id>",
		Short: "Print every change a backfill made, would make or failed, as JSON Lines",
		Long: `Print, as JSON Lines, every field a backfill recorded: item, field, value
before and after, and outcome (would_change in a dry run; changed or failed in
a real run; restored or left_alone for a rollback ID). Items that failed for
good are here with their error. The records come from the ERP (--erp-url).`,
		Example: `  starter backfill report backfill/metafields/shop.myshopify.com/20260501T120000Z-dry-run > diff.jsonl
  starter backfill report <id> | jq -c 'select(.outcome=="failed")'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withOps(cmd, dial, func(ops Ops) error {
				_, err := ops.Report(cmd.Context(), args[0], cmd.OutOrStdout())
				return err
			})
		},
	}
}

func rollbackCommand(dial dialer) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "rollback <id>",
		Short: "Restore what a finished or canceled backfill changed",
		Long: `Start the rollback of a backfill that is no longer running (cancel it first)
and print the rollback's ID. It restores, from the records made before every
write, each field the backfill changed to its value before, and removes the
fields the backfill created. A field someone changed after the backfill wrote
it is left alone and reported ("report <rollback-id>" lists it as left_alone).
It is batched, rate-limited and resumable like the backfill; starting it
again returns the same rollback.`,
		Example: `  starter backfill rollback backfill/metafields/shop.myshopify.com/20260501T120000Z --wait`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withOps(cmd, dial, func(ops Ops) error {
				rid, err := ops.Rollback(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), rid)
				if !wait {
					return nil
				}
				var p wfbackfill.RollbackProgress
				if err := ops.Temporal.GetWorkflow(cmd.Context(), rid, "").Get(cmd.Context(), &p); err != nil {
					return fmt.Errorf("rollback %s: %w", rid, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), RollbackLine(p))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the rollback to finish and print its counts")
	return cmd
}

// isTerminal reports whether w is a terminal, where the bar can be redrawn
// in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printJSON prints the state of a backfill or rollback ID as JSON.
func printJSON(ctx context.Context, ops Ops, id string, w io.Writer) error {
	var v any
	var err error
	if strings.HasPrefix(id, "rollback/") {
		v, err = ops.RollbackProgress(ctx, id)
	} else {
		v, err = ops.Progress(ctx, id)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// withOps dials, runs fn and closes the connection.
func withOps(cmd *cobra.Command, dial dialer, fn func(Ops) error) error {
	ops, closeFn, err := dial(cmd)
	if err != nil {
		return err
	}
	defer closeFn()
	return fn(ops)
}
