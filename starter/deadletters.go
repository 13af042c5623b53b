package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/temporalclient"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// deadlettersCommand is the operator's command tree for dead letters.
func deadlettersCommand() *cobra.Command {
	var conn temporalclient.Options
	cmd := &cobra.Command{
		Use:     "deadletters",
		Aliases: []string{"dl"},
		Short:   "Find, inspect, count and replay dead letters (failed webhook workflows)",
		Long: `A dead letter is a webhook whose workflow failed: a permanent error or a
transient one that outlasted every retry. Temporal keeps its payload, error,
timestamps and retry history. Reconcilers and backfills are not webhook
workflows: their failures are reported by their own commands.

Failure kinds:
` + failureKindsHelp() + `

A dead letter is open while the latest run of its workflow ID is the failed
one; once replayed, the failed run stays in Temporal as history but is no
longer listed, counted or replayed.

The usual loop:
  starter deadletters count
  starter deadletters list --kind ProductNotFound --since 24h
  starter deadletters show webhook/shop.myshopify.com/<webhook-id>
  (fix the cause, e.g. add the product to the ERP)
  starter deadletters replay --kind ProductNotFound --dry-run
  starter deadletters replay --kind ProductNotFound

Replaying is safe: every effect carries an idempotency key derived from the
business entity (order, invoice), so what a failed run already did in the
ERP is not done twice.

Payloads hold customer data: only "show --payload" prints them.`,
	}
	goFlags := flag.NewFlagSet("temporal", flag.ContinueOnError)
	conn.RegisterFlags(goFlags)
	cmd.PersistentFlags().AddGoFlagSet(goFlags)
	dial := func(c *cobra.Command) (client.Client, *deadletters.Store, error) {
		return dialStore(c, conn)
	}
	cmd.AddCommand(dlListCommand(dial), dlCountCommand(dial), dlShowCommand(dial), dlReplayCommand(dial))
	return cmd
}

// dialer connects a command to Temporal.
type dialer func(*cobra.Command) (client.Client, *deadletters.Store, error)

// dialStore connects to Temporal, logging only warnings, to stderr, so that
// stdout stays the command's output.
func dialStore(cmd *cobra.Command, conn temporalclient.Options) (client.Client, *deadletters.Store, error) {
	c, err := conn.Dial(logging.NewTo(cmd.ErrOrStderr(), "starter", slog.LevelWarn))
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to Temporal at %s: %w", conn.Address, err)
	}
	dc, err := conn.DataConverter(logging.NewTo(cmd.ErrOrStderr(), "starter", slog.LevelWarn))
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, deadletters.New(c, deadletters.Options{Namespace: conn.Namespace, Identity: "starter deadletters", DataConverter: dc}), nil
}

// addFilterFlags adds the flags that select dead letters.
func addFilterFlags(cmd *cobra.Command, f *deadletters.Filter) {
	cmd.Flags().StringVar(&f.Shop, "shop", "", "only this shop (e.g. shop.myshopify.com)")
	cmd.Flags().StringVar(&f.Topic, "topic", "", "only this Shopify topic (e.g. orders/create)")
	cmd.Flags().StringVar(&f.Kind, "kind", "", "only this failure kind: "+strings.Join(activities.FailureKindNames(), ", "))
	cmd.Flags().StringVar(&f.TaskQueue, "task-queue", "", "only workflows of this task queue")
	cmd.Flags().Var((*timeFlag)(&f.Since), "since", "only failures at or after this time: RFC 3339 (2026-05-01T00:00:00Z) or a duration ago (24h)")
	cmd.Flags().Var((*timeFlag)(&f.Until), "until", "only failures at or before this time: RFC 3339 or a duration ago")
}

func dlListCommand(dial dialer) *cobra.Command {
	var (
		f      deadletters.Filter
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List open dead letters, newest failure first",
		Long: `List open dead letters: workflow ID, shop, topic, failure kind, resource,
failure time and summary. Filters combine with AND. Payloads are never shown.`,
		Example: `  starter deadletters list --kind ProductNotFound --shop shop.myshopify.com --since 24h
  starter deadletters list --json | jq -r '.[].workflow_id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printQuery(cmd, dial, asJSON, func(ctx context.Context, s *deadletters.Store) ([]deadletters.DeadLetter, error) {
				return s.List(ctx, f)
			}, deadletters.WriteTable)
		},
	}
	addFilterFlags(cmd, &f)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func dlCountCommand(dial dialer) *cobra.Command {
	var (
		f      deadletters.Filter
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "count",
		Short: "Count open dead letters by shop and failure kind",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printQuery(cmd, dial, asJSON, func(ctx context.Context, s *deadletters.Store) ([]deadletters.Count, error) {
				return s.Count(ctx, f)
			}, deadletters.WriteCounts)
		},
	}
	addFilterFlags(cmd, &f)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func dlShowCommand(dial dialer) *cobra.Command {
	var (
		opts   deadletters.ShowOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show <workflow-id>",
		Short: "Explain one dead letter: error chain, attempts, timestamps",
		Long: `Show one dead letter from its Temporal history: the workflow's error and its
causes, every activity with its attempts (Temporal records the number of the
last attempt, its start, the failure of the attempt before it and why retrying
stopped), and the timestamps. The latest run is shown unless --run-id names
another, e.g. the failed run of a dead letter already replayed.

The webhook's payload is customer data: it is printed only with --payload.`,
		Example: `  starter deadletters show webhook/shop.myshopify.com/b54557e4-0b1a-4d1b-9f0c-5b1a8a4a1f4e
  starter deadletters show --payload --json webhook/shop.myshopify.com/<webhook-id>`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, store, err := dial(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			d, err := store.Show(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			if asJSON {
				return deadletters.WriteJSON(cmd.OutOrStdout(), d)
			}
			return deadletters.WriteDetail(cmd.OutOrStdout(), d)
		},
	}
	cmd.Flags().StringVar(&opts.RunID, "run-id", "", "show this run instead of the latest")
	cmd.Flags().BoolVar(&opts.Payload, "payload", false, "also print the webhook's payload (customer data)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func dlReplayCommand(dial dialer) *cobra.Command {
	var (
		f      deadletters.Filter
		opts   deadletters.ReplayOptions
		dryRun bool
		yes    bool
		asJSON bool
		wait   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "replay (<workflow-id> | --kind <kind> [--shop ...])",
		Short: "Replay dead letters after fixing their cause",
		Long: `Replay reruns dead letters from their input: each is reset to its first
workflow task, so the workflow runs again in a new run under the same
workflow ID. One dead letter is reset directly; a set (every open dead letter
matching --kind and the other filters; --kind is required so that nothing is
replayed by accident) is reset by one Temporal batch operation.

Replay lists what it will replay and asks for confirmation (--yes skips the
question, --dry-run stops after the list), then waits for the new runs (up to
--wait) and reports how each ended. It exits non-zero unless every replay
completed. Effects carry entity idempotency keys, so a replay never applies
an effect twice.`,
		Example: `  starter deadletters replay webhook/shop.myshopify.com/<webhook-id>
  starter deadletters replay --kind ProductNotFound --shop shop.myshopify.com --dry-run
  starter deadletters replay --kind RetriesExhausted --since 6h --yes --wait 5m`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			single := len(args) == 1
			if single == (f.Kind != "") || (single && hasFilter(f)) {
				return fmt.Errorf("name one workflow ID, or select a set with --kind (and optionally --shop, --topic, --since, --until)")
			}
			c, store, err := dial(cmd)
			if err != nil {
				return err
			}
			defer c.Close()
			ctx, out := cmd.Context(), cmd.OutOrStdout()

			var letters []deadletters.DeadLetter
			if single {
				d, err := store.Show(ctx, args[0], deadletters.ShowOptions{})
				if err != nil {
					return err
				}
				if !d.Open {
					return fmt.Errorf("%s is not an open dead letter: its latest run %s is %s", d.WorkflowID, d.LatestRunID, d.Status)
				}
				letters = []deadletters.DeadLetter{d.DeadLetter}
			} else if letters, err = store.List(ctx, f); err != nil {
				return err
			}
			if len(letters) == 0 {
				fmt.Fprintln(out, "no open dead letters match")
				return nil
			}
			fmt.Fprintf(out, "Dead letters to replay (%d):\n", len(letters))
			if err := deadletters.WriteTable(out, letters); err != nil {
				return err
			}
			if dryRun {
				fmt.Fprintln(out, "dry run: nothing replayed")
				return nil
			}
			if !yes && !confirm(cmd.InOrStdin(), out, fmt.Sprintf("Replay %d dead letter(s)?", len(letters))) {
				return fmt.Errorf("not confirmed: nothing replayed")
			}
			opts.Wait = wait
			var results []deadletters.ReplayResult
			if single {
				r, err := store.ReplayOne(ctx, letters[0].WorkflowID, opts)
				if err != nil {
					return err
				}
				results = []deadletters.ReplayResult{r}
			} else if results, err = store.ReplayBatch(ctx, letters, opts); err != nil {
				return err
			}
			if asJSON {
				err = deadletters.WriteJSON(out, results)
			} else {
				err = deadletters.WriteReplays(out, results)
			}
			if err != nil {
				return err
			}
			return unfinished(results, wait > 0)
		},
	}
	addFilterFlags(cmd, &f)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be replayed, replay nothing")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().DurationVar(&wait, "wait", 2*time.Minute, "how long to wait for the new runs to finish; 0 does not wait")
	cmd.Flags().StringVar(&opts.Reason, "reason", "", "reason recorded in each reset run's history")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// failureKindsHelp lists the failure kinds with their meanings.
func failureKindsHelp() string {
	var b strings.Builder
	for _, k := range activities.FailureKinds() {
		fmt.Fprintf(&b, "  %-19s %s\n", k.Name, k.Meaning)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// hasFilter reports whether any filter besides the kind is set.
func hasFilter(f deadletters.Filter) bool {
	return f.Shop != "" || f.Topic != "" || f.TaskQueue != "" || !f.Since.IsZero() || !f.Until.IsZero()
}

// unfinished returns an error naming how many replays did not complete.
func unfinished(results []deadletters.ReplayResult, waited bool) error {
	bad := 0
	for _, r := range results {
		if r.Outcome == deadletters.OutcomeNotReplayed || (waited && r.Outcome != deadletters.OutcomeCompleted) {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d replays did not complete", bad, len(results))
	}
	return nil
}

// confirm asks a yes/no question on out and reads the answer from in.
func confirm(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprintf(out, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(in).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}

// printQuery runs one query on the dead-letter store and prints its rows
// as a table, or as JSON when asked.
func printQuery[T any](cmd *cobra.Command, dial dialer, asJSON bool,
	query func(context.Context, *deadletters.Store) ([]T, error), table func(io.Writer, []T) error) error {
	c, store, err := dial(cmd)
	if err != nil {
		return err
	}
	defer c.Close()
	rows, err := query(cmd.Context(), store)
	if err != nil {
		return err
	}
	if asJSON {
		return deadletters.WriteJSON(cmd.OutOrStdout(), nonNil(rows))
	}
	return table(cmd.OutOrStdout(), rows)
}

// nonNil makes JSON print [] rather than null for nothing found.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// timeFlag is a time given as RFC 3339 or as a duration before now.
type timeFlag time.Time

func (t *timeFlag) String() string {
	if time.Time(*t).IsZero() {
		return ""
	}
	return time.Time(*t).Format(time.RFC3339)
}

func (t *timeFlag) Set(s string) error {
	if d, err := time.ParseDuration(s); err == nil {
		*t = timeFlag(time.Now().Add(-d))
		return nil
	}
	parsed, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("%q is neither RFC 3339 (2026-05-01T00:00:00Z) nor a duration (24h)", s)
	}
	*t = timeFlag(parsed)
	return nil
}

func (t *timeFlag) Type() string { return "time" }
