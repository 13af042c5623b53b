// Package backfill holds the operator's backfill commands (starter backfill
// start, status, pause, resume, set-rate, cancel, report, rollback) and
// the operations under them, which tests call directly.
package backfill

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/workflows"
	wfbackfill "github.com/shopflow/shopflow/workflows/backfill"
)

// Ops are the backfill operations against one Temporal and the backfill
// record store.
type Ops struct {
	Temporal client.Client
	// Store holds the backfills' records (the ERP); only report needs it.
	Store *erp.Client
	// TaskQueue is where backfills run; wfbackfill.TaskQueue if empty.
	TaskQueue string
}

func (o Ops) taskQueue() string {
	if o.TaskQueue == "" {
		return wfbackfill.TaskQueue
	}
	return o.TaskQueue
}

// Start starts a backfill of kind on p.Shop called name (the start time
// if empty) and returns its ID. A name already used is an error: a
// backfill is started once, and resumed, not started again.
func (o Ops) Start(ctx context.Context, kind, name string, p wfbackfill.Params) (string, error) {
	k, ok := wfbackfill.KindNamed(kind)
	if !ok {
		return "", fmt.Errorf("unknown backfill kind %q: want one of %s", kind, strings.Join(kindNames(), ", "))
	}
	p.Shop = strings.ToLower(strings.TrimSpace(p.Shop))
	if err := p.Validate(); err != nil {
		return "", err
	}
	if name == "" {
		name = time.Now().UTC().Format("20060102T150405Z")
		if p.DryRun {
			name += "-dry-run"
		}
	}
	id := workflows.BackfillWorkflowID(k.Name, p.Shop, name)
	summary := k.Summary + " · " + p.Shop
	if p.DryRun {
		summary += " · dry run"
	}
	_, err := o.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: o.taskQueue(), StaticSummary: summary,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, k.Workflow, wfbackfill.Input{Params: p})
	if err != nil {
		return "", fmt.Errorf("starting %s: %w", id, err)
	}
	return id, nil
}

func kindNames() []string {
	var names []string
	for _, k := range wfbackfill.Kinds() {
		names = append(names, k.Name)
	}
	return names
}

// Progress asks a backfill (its latest run) for its progress.
func (o Ops) Progress(ctx context.Context, id string) (wfbackfill.Progress, error) {
	var p wfbackfill.Progress
	v, err := o.Temporal.QueryWorkflow(ctx, id, "", wfbackfill.QueryProgress)
	if err != nil {
		return p, fmt.Errorf("asking %s for its progress: %w", id, err)
	}
	return p, v.Get(&p)
}

// update sends one of the backfill's updates and returns the state it
// answers with.
func (o Ops) update(ctx context.Context, id, name string, args ...any) (wfbackfill.Progress, error) {
	var p wfbackfill.Progress
	h, err := o.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateName: name, Args: args, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return p, fmt.Errorf("%s %s: %w", name, id, err)
	}
	if err := h.Get(ctx, &p); err != nil {
		return p, fmt.Errorf("%s %s: %w", name, id, err)
	}
	return p, nil
}

// Pause pauses a backfill after its current batch.
func (o Ops) Pause(ctx context.Context, id string) (wfbackfill.Progress, error) {
	return o.update(ctx, id, wfbackfill.UpdatePause)
}

// Resume resumes a paused backfill.
func (o Ops) Resume(ctx context.Context, id string) (wfbackfill.Progress, error) {
	return o.update(ctx, id, wfbackfill.UpdateResume)
}

// SetRate caps a backfill at perMinute items a minute (0: no cap) from its
// next batch on.
func (o Ops) SetRate(ctx context.Context, id string, perMinute float64) (wfbackfill.Progress, error) {
	return o.update(ctx, id, wfbackfill.UpdateSetRate, perMinute)
}

// Cancel cancels a backfill: its current batch stops, what it wrote stays
// (and can be rolled back).
func (o Ops) Cancel(ctx context.Context, id string) error {
	if err := o.Temporal.CancelWorkflow(ctx, id, ""); err != nil {
		return fmt.Errorf("canceling %s: %w", id, err)
	}
	return nil
}

// ReportLine is one line of a report: a field a backfill changed, would
// change, failed to change, or (for a rollback) restored or left alone.
type ReportLine struct {
	Backfill string          `json:"backfill"`
	Batch    int             `json:"batch"`
	Item     string          `json:"item"`
	Field    string          `json:"field"`
	Before   *erp.FieldValue `json:"before"`
	After    *erp.FieldValue `json:"after"`
	Outcome  string          `json:"outcome"`
	Error    string          `json:"error,omitempty"`
}

// Report writes every change recorded for a backfill or rollback ID as
// JSON Lines, in batch order.
func (o Ops) Report(ctx context.Context, id string, w io.Writer) (int, error) {
	if o.Store == nil {
		return 0, errors.New("the report needs the ERP's address (--erp-url)")
	}
	enc := json.NewEncoder(w)
	n, after := 0, -1
	for {
		recs, more, err := o.Store.BackfillRecords(ctx, id, after, erp.MaxBackfillRecords)
		if err != nil {
			return n, fmt.Errorf("reading the records of %s: %w", id, err)
		}
		for _, r := range recs {
			for _, c := range r.Changes {
				if err := enc.Encode(ReportLine{Backfill: id, Batch: r.Batch, Item: c.Item, Field: c.Field,
					Before: c.Before, After: c.After, Outcome: c.Outcome, Error: c.Error}); err != nil {
					return n, err
				}
				n++
			}
			after = r.Batch
		}
		if !more || len(recs) == 0 {
			return n, nil
		}
	}
}

// Rollback starts the rollback of a backfill that is no longer running and
// returns the rollback's ID. Starting it again returns the same rollback.
func (o Ops) Rollback(ctx context.Context, id string) (string, error) {
	kind, shop, err := parseID(id)
	if err != nil {
		return "", err
	}
	desc, err := o.Temporal.DescribeWorkflow(ctx, id, "")
	if err != nil {
		return "", fmt.Errorf("looking up %s: %w", id, err)
	}
	if desc.Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return "", fmt.Errorf("%s is still running: cancel it first (starter backfill cancel %s)", id, id)
	}
	rid := workflows.RollbackWorkflowID(id)
	_, err = o.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: rid, TaskQueue: o.taskQueue(), StaticSummary: "Roll back " + id,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
	}, wfbackfill.RollbackWorkflow, wfbackfill.RollbackInput{Backfill: id, Kind: kind, Shop: shop})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return rid, nil // rolled back already: a second one would find nothing to do
	}
	if err != nil {
		return "", fmt.Errorf("starting %s: %w", rid, err)
	}
	return rid, nil
}

// RollbackProgress asks a rollback for its progress.
func (o Ops) RollbackProgress(ctx context.Context, rollbackID string) (wfbackfill.RollbackProgress, error) {
	var p wfbackfill.RollbackProgress
	v, err := o.Temporal.QueryWorkflow(ctx, rollbackID, "", wfbackfill.QueryProgress)
	if err != nil {
		return p, fmt.Errorf("asking %s for its progress: %w", rollbackID, err)
	}
	return p, v.Get(&p)
}

// parseID reads the kind and shop out of a backfill ID
// (workflows.BackfillWorkflowID).
func parseID(id string) (kind, shop string, err error) {
	parts := strings.SplitN(id, "/", 4)
	if len(parts) != 4 || parts[0] != "backfill" {
		return "", "", fmt.Errorf("%q is not a backfill ID (backfill/<kind>/<shop>/<name>)", id)
	}
	if _, ok := wfbackfill.KindNamed(parts[1]); !ok {
		return "", "", fmt.Errorf("%q names an unknown kind %q", id, parts[1])
	}
	return parts[1], parts[2], nil
}
