package reconcile

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"go.temporal.io/sdk/client"
)

// Status is the state of one reconciliation schedule.
type Status struct {
	ID         string
	Reconciler string
	Paused     bool
	Note       string
	Interval   time.Duration
	// LastAction is when the schedule last started a run; zero if never.
	LastAction time.Time
	// LastRunID is the workflow ID of that run.
	LastRunID string
	// Running counts the runs going now (0 or 1: overlap is Skip).
	Running int
	// NextRun is when the next run is due; zero if paused.
	NextRun time.Time
	// MissedCatchup counts runs skipped because they were due longer ago
	// than the catch-up window.
	MissedCatchup int
	// Skipped counts runs skipped because one was still going.
	Skipped int
	Actions int
}

// schedulePrefix starts the ID of every reconciliation schedule.
const schedulePrefix = "reconcile/"

// Statuses describes every reconciliation schedule, of one shop if shop is
// not empty, in ID order.
func Statuses(ctx context.Context, c client.Client, shop string) ([]Status, error) {
	ids, err := scheduleIDs(ctx, c, shop)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(ids))
	for _, id := range ids {
		d, err := c.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		if err != nil {
			return nil, fmt.Errorf("describing %s: %w", id, err)
		}
		st := Status{ID: id, MissedCatchup: d.Info.NumActionsMissedCatchupWindow, Skipped: d.Info.NumActionsSkippedOverlap,
			Actions: d.Info.NumActions, Running: len(d.Info.RunningWorkflows)}
		if a, ok := d.Schedule.Action.(*client.ScheduleWorkflowAction); ok {
			if name, ok := a.Workflow.(string); ok {
				st.Reconciler = name
			}
		}
		if d.Schedule.State != nil {
			st.Paused, st.Note = d.Schedule.State.Paused, d.Schedule.State.Note
		}
		if d.Schedule.Spec != nil && len(d.Schedule.Spec.Intervals) > 0 {
			st.Interval = d.Schedule.Spec.Intervals[0].Every
		}
		if n := len(d.Info.RecentActions); n > 0 {
			last := d.Info.RecentActions[n-1]
			st.LastAction = last.ActualTime
			if last.StartWorkflowResult != nil {
				st.LastRunID = last.StartWorkflowResult.WorkflowID
			}
		}
		if len(d.Info.NextActionTimes) > 0 && !st.Paused {
			st.NextRun = d.Info.NextActionTimes[0]
		}
		out = append(out, st)
	}
	return out, nil
}

// scheduleIDs lists the reconciliation schedules' IDs, of one shop if shop
// is not empty, sorted.
func scheduleIDs(ctx context.Context, c client.Client, shop string) ([]string, error) {
	iter, err := c.ScheduleClient().List(ctx, client.ScheduleListOptions{PageSize: 100})
	if err != nil {
		return nil, err
	}
	var ids []string
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(e.ID, schedulePrefix) && (shop == "" || strings.HasSuffix(e.ID, "/"+shop)) {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// PrintStatuses writes statuses as a table.
func PrintStatuses(w io.Writer, statuses []Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCHEDULE\tSTATE\tEVERY\tLAST RUN\tRUNNING\tNEXT RUN\tMISSED CATCH-UP\tSKIPPED")
	for _, s := range statuses {
		state := "active"
		if s.Paused {
			state = "paused"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\n", s.ID, state, s.Interval, when(s.LastAction), s.Running, when(s.NextRun), s.MissedCatchup, s.Skipped)
	}
	return tw.Flush()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
