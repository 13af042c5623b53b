package deadletters

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	batchpb "go.temporal.io/api/batch/v1"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/temporal"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Outcomes of a replay, the values of ReplayResult.Outcome.
const (
	OutcomeCompleted   = "completed"
	OutcomeFailed      = "failed"       // failed again: a dead letter again
	OutcomeRunning     = "running"      // still running when the wait ended
	OutcomeNotReplayed = "not replayed" // the reset did not happen
	OutcomeReplayed    = "replayed"     // reset, not waited for
)

// ReplayOptions tunes a replay.
type ReplayOptions struct {
	// Reason is recorded in the history of every reset run.
	Reason string
	// Wait bounds the wait for the new runs to close; zero does not wait.
	Wait time.Duration
}

// ReplayResult tells what became of one replayed dead letter.
type ReplayResult struct {
	WorkflowID string `json:"workflow_id"`
	OldRunID   string `json:"old_run_id"`
	NewRunID   string `json:"new_run_id,omitempty"`
	Outcome    string `json:"outcome"`
	// Kind is the failure kind of a run that failed again.
	Kind  string `json:"failure_kind,omitempty"`
	Error string `json:"error,omitempty"`
}

// ReplayOne resets one open dead letter to its first workflow task, so that
// the workflow runs again from its input, and waits for the new run.
// Every effect carries an idempotency key derived from the business entity,
// so whatever the failed run did already is not done twice.
func (s *Store) ReplayOne(ctx context.Context, workflowID string, opts ReplayOptions) (ReplayResult, error) {
	desc, err := s.describe(ctx, workflowID, "")
	if err != nil {
		return ReplayResult{}, fmt.Errorf("describing %s: %w", workflowID, err)
	}
	info := desc.GetWorkflowExecutionInfo()
	runID := info.GetExecution().GetRunId()
	if t := info.GetType().GetName(); !isWebhookWorkflow(t) {
		return ReplayResult{}, fmt.Errorf("%s is a %s workflow, not a webhook's: it cannot be a dead letter", workflowID, t)
	}
	if info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_FAILED {
		return ReplayResult{}, fmt.Errorf("%s is not a dead letter: its latest run %s is %s",
			workflowID, runID, info.GetStatus())
	}
	eventID, err := s.firstWorkflowTask(ctx, workflowID, runID)
	if err != nil {
		return ReplayResult{}, err
	}
	resp, err := s.client.ResetWorkflowExecution(ctx, &workflowservice.ResetWorkflowExecutionRequest{
		Namespace:                 s.namespace,
		WorkflowExecution:         &commonpb.WorkflowExecution{WorkflowId: workflowID, RunId: runID},
		Reason:                    opts.reason(),
		WorkflowTaskFinishEventId: eventID,
		// Derived from the failed run, so that retrying this call cannot
		// reset the same dead letter twice.
		RequestId: uuid.NewSHA1(uuid.NameSpaceURL, []byte("shopflow-replay:"+runID)).String(),
		Identity:  s.identity,
	})
	if err != nil {
		return ReplayResult{}, fmt.Errorf("resetting %s: %w", workflowID, err)
	}
	r := ReplayResult{WorkflowID: workflowID, OldRunID: runID, NewRunID: resp.GetRunId(), Outcome: OutcomeReplayed}
	if opts.Wait > 0 {
		wctx, cancel := context.WithTimeout(ctx, opts.Wait)
		defer cancel()
		s.await(wctx, &r)
	}
	return r, nil
}

// firstWorkflowTask returns the ID of the run's first WorkflowTaskCompleted
// event: resetting there keeps only the start and runs all the code again.
func (s *Store) firstWorkflowTask(ctx context.Context, workflowID, runID string) (int64, error) {
	iter := s.client.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			return 0, fmt.Errorf("reading the history of %s: %w", workflowID, err)
		}
		if ev.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED {
			return ev.GetEventId(), nil
		}
	}
	return 0, fmt.Errorf("%s run %s has no completed workflow task to reset to", workflowID, runID)
}

// ReplayBatch resets every given dead letter to its first workflow task
// with one Temporal batch operation, which the server carries out at its
// own pace, then waits for the new runs. The dead letters are named one by
// one rather than by a visibility query, because a query would also match
// failed runs that an earlier replay already replaced.
func (s *Store) ReplayBatch(ctx context.Context, letters []DeadLetter, opts ReplayOptions) ([]ReplayResult, error) {
	if len(letters) == 0 {
		return nil, nil
	}
	executions := make([]*commonpb.WorkflowExecution, len(letters))
	for i, d := range letters {
		executions[i] = &commonpb.WorkflowExecution{WorkflowId: d.WorkflowID, RunId: d.RunID}
	}
	jobID := "shopflow-replay-" + uuid.NewString()
	_, err := s.client.WorkflowService().StartBatchOperation(ctx, &workflowservice.StartBatchOperationRequest{
		Namespace: s.namespace,
		JobId:     jobID,
		Reason:    opts.reason(),
		// Executions is deprecated for TargetExecutions, which servers
		// before 1.30 (the dev server and the cluster we run) ignore.
		//lint:ignore SA1019 TargetExecutions is ignored by the servers we run.
		Executions: executions,
		Operation: &workflowservice.StartBatchOperationRequest_ResetOperation{
			ResetOperation: &batchpb.BatchOperationReset{
				Identity: s.identity,
				Options: &commonpb.ResetOptions{
					Target: &commonpb.ResetOptions_FirstWorkflowTask{FirstWorkflowTask: &emptypb.Empty{}},
				},
			},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("starting the batch reset: %w", err)
	}
	if err := s.awaitBatch(ctx, jobID); err != nil {
		return nil, err
	}

	results := make([]ReplayResult, len(letters))
	wctx, cancel := context.WithTimeout(ctx, max(opts.Wait, time.Nanosecond))
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for i, d := range letters {
		g.Go(func() error {
			r := &results[i]
			*r = ReplayResult{WorkflowID: d.WorkflowID, OldRunID: d.RunID, Outcome: OutcomeNotReplayed}
			desc, err := s.describe(gctx, d.WorkflowID, "")
			if err != nil {
				r.Error = err.Error()
				return nil
			}
			if r.NewRunID = desc.GetWorkflowExecutionInfo().GetExecution().GetRunId(); r.NewRunID == d.RunID {
				r.NewRunID, r.Error = "", "the batch operation did not reset it"
				return nil
			}
			r.Outcome = OutcomeReplayed
			if opts.Wait > 0 {
				s.await(wctx, r)
			}
			return nil
		})
	}
	g.Wait()
	return results, nil
}

// awaitBatch polls the batch operation until the server has finished it.
func (s *Store) awaitBatch(ctx context.Context, jobID string) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := s.client.WorkflowService().DescribeBatchOperation(ctx, &workflowservice.DescribeBatchOperationRequest{
			Namespace: s.namespace, JobId: jobID,
		})
		if err != nil {
			return fmt.Errorf("following batch operation %s: %w", jobID, err)
		}
		switch resp.GetState() {
		case enumspb.BATCH_OPERATION_STATE_COMPLETED:
			return nil
		case enumspb.BATCH_OPERATION_STATE_FAILED:
			return fmt.Errorf("batch operation %s failed after %d of %d resets (%d failed)", jobID,
				resp.GetCompleteOperationCount(), resp.GetTotalOperationCount(), resp.GetFailureOperationCount())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("batch operation %s still running: %w", jobID, ctx.Err())
		case <-tick.C:
		}
	}
}

// await waits for r's new run to close, or ctx to end, and records how it
// ended.
func (s *Store) await(ctx context.Context, r *ReplayResult) {
	err := s.client.GetWorkflow(ctx, r.WorkflowID, r.NewRunID).Get(ctx, nil)
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		r.Outcome = OutcomeCompleted
	case ctx.Err() != nil:
		r.Outcome = OutcomeRunning
	case errors.As(err, &appErr):
		r.Outcome, r.Kind, r.Error = OutcomeFailed, appErr.Type(), err.Error()
	default:
		r.Outcome, r.Error = OutcomeFailed, err.Error()
	}
}

func (o ReplayOptions) reason() string {
	if o.Reason == "" {
		return "shopflow dead-letter replay"
	}
	return o.Reason
}
