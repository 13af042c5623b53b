package deadletters

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes v as indented JSON, for scripts.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteTable writes dead letters as an aligned table.
func WriteTable(w io.Writer, letters []DeadLetter) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKFLOW ID\tSHOP\tTOPIC\tKIND\tRESOURCE\tFAILED AT\tSUMMARY")
	for _, d := range letters {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.WorkflowID, d.Shop, d.Topic, dash(d.Kind),
			dash(d.ResourceID), stamp(d.FailedAt), dash(d.Summary))
	}
	return tw.Flush()
}

// WriteCounts writes counts as a table with a total.
func WriteCounts(w io.Writer, counts []Count) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SHOP\tKIND\tCOUNT")
	total := 0
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", c.Shop, dash(c.Kind), c.Count)
		total += c.Count
	}
	fmt.Fprintf(tw, "total\t\t%d\n", total)
	return tw.Flush()
}

// WriteDetail writes one dead letter's detail for a person to read.
func WriteDetail(w io.Writer, d *Detail) error {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("Workflow ID", d.WorkflowID)
	row("Run ID", d.RunID)
	state := d.Status
	switch {
	case d.Open:
		state += " (open dead letter)"
	case d.LatestRunID != d.RunID:
		state += " (replayed: latest run is " + d.LatestRunID + ")"
	}
	row("Status", state)
	row("Type", d.WorkflowType)
	row("Task queue", d.TaskQueue)
	row("Shop", d.Shop)
	row("Topic", d.Topic)
	row("Webhook ID", dash(d.WebhookID))
	row("Failure kind", dash(d.Kind))
	row("Resource", dash(d.ResourceID))
	row("Summary", dash(d.Summary))
	row("Triggered at", dash(d.TriggeredAt))
	row("Started at", stamp(d.StartedAt))
	row("Failed at", stamp(d.FailedAt))
	row("History events", fmt.Sprint(d.HistoryLength))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.Error) > 0 {
		fmt.Fprintf(w, "\nError (workflow retry state %s):\n", dash(d.RetryState))
		writeChain(w, "  ", d.Error)
	}
	fmt.Fprintln(w, "\nActivities:")
	if len(d.Activities) == 0 {
		fmt.Fprintln(w, "  none ran")
	}
	for i, a := range d.Activities {
		fmt.Fprintf(w, "  %d. %s (ID %s)", i+1, a.Type, a.ActivityID)
		if a.Summary != "" {
			fmt.Fprintf(w, ": %s", a.Summary)
		}
		fmt.Fprintln(w)
		limit := "unlimited"
		if a.MaxAttempts > 0 {
			limit = fmt.Sprint(a.MaxAttempts)
		}
		fmt.Fprintf(w, "     scheduled %s; %d attempt(s) of %s\n", stamp(a.ScheduledAt), a.Attempts, limit)
		if len(a.History) > 0 {
			fmt.Fprintln(w, "     failed attempts:")
			for _, h := range a.History {
				fmt.Fprintf(w, "       #%d started %s, failed %s: %s\n", h.Number, stamp(h.StartedAt), stamp(h.FailedAt), h.Error)
			}
		} else if len(a.PreviousFailure) > 0 {
			fmt.Fprintf(w, "     attempt %d failed:\n", a.Attempts-1)
			writeChain(w, "       ", a.PreviousFailure)
		}
		if !a.LastStartedAt.IsZero() {
			fmt.Fprintf(w, "     attempt %d started %s\n", a.Attempts, stamp(a.LastStartedAt))
		}
		if !a.EndedAt.IsZero() {
			fmt.Fprintf(w, "     %s %s", a.Outcome, stamp(a.EndedAt))
			if a.RetryState != "" {
				fmt.Fprintf(w, " (retry state %s)", a.RetryState)
			}
			fmt.Fprintln(w)
		} else {
			fmt.Fprintf(w, "     %s\n", a.Outcome)
		}
		writeChain(w, "       ", a.Failure)
		if len(a.PendingFailure) > 0 {
			fmt.Fprintln(w, "     last failure so far:")
			writeChain(w, "       ", a.PendingFailure)
		}
		if !a.NextAttemptAt.IsZero() {
			fmt.Fprintf(w, "     next attempt %s\n", stamp(a.NextAttemptAt))
		}
	}
	if len(d.Payload) > 0 {
		fmt.Fprintln(w, "\nPayload:")
		var buf strings.Builder
		if err := WriteJSON(&buf, d.Payload); err != nil {
			return err
		}
		fmt.Fprint(w, buf.String())
	}
	return nil
}

// WriteReplays writes the report of a replay.
func WriteReplays(w io.Writer, results []ReplayResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKFLOW ID\tNEW RUN\tOUTCOME\tDETAIL")
	tally := map[string]int{}
	for _, r := range results {
		detail := r.Kind
		if r.Error != "" && r.Kind == "" {
			detail = r.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.WorkflowID, dash(r.NewRunID), r.Outcome, dash(detail))
		tally[r.Outcome]++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var parts []string
	for _, o := range []string{OutcomeCompleted, OutcomeFailed, OutcomeRunning, OutcomeReplayed, OutcomeNotReplayed} {
		if tally[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", tally[o], o))
		}
	}
	_, err := fmt.Fprintf(w, "%d replayed: %s\n", len(results)-tally[OutcomeNotReplayed], strings.Join(parts, ", "))
	return err
}

func writeChain(w io.Writer, indent string, causes []Cause) {
	for i, c := range causes {
		prefix := "caused by "
		if i == 0 {
			prefix = ""
		}
		fmt.Fprintf(w, "%s%s%s: %s", indent, prefix, c.Type, c.Message)
		if c.NonRetryable {
			fmt.Fprint(w, " [non-retryable]")
		}
		if c.Detail != "" {
			fmt.Fprintf(w, " (%s)", c.Detail)
		}
		fmt.Fprintln(w)
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
