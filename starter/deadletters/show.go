package deadletters

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/workflows"
)

// Detail is everything an operator needs to judge one dead letter.
type Detail struct {
	DeadLetter
	// Status is the run's status; a replayed dead letter's run is still
	// Failed but no longer Open.
	Status string `json:"status"`
	// Open tells whether this run is still the latest of its workflow.
	Open bool `json:"open"`
	// LatestRunID is the workflow's latest run, which differs from RunID
	// once the dead letter has been replayed.
	LatestRunID string `json:"latest_run_id"`
	// WebhookID and TriggeredAt come from the webhook's headers.
	WebhookID     string `json:"webhook_id,omitempty"`
	TriggeredAt   string `json:"triggered_at,omitempty"`
	HistoryLength int    `json:"history_length"`
	// Error is the workflow's failure, outermost first.
	Error      []Cause `json:"error,omitempty"`
	RetryState string  `json:"retry_state,omitempty"`
	// Activities are the activities the run scheduled, in order.
	Activities []Activity `json:"activities"`
	// Payload is the webhook's body, set only when asked for: it holds
	// customer data. A body that was not JSON is a JSON string.
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Activity is what history tells of one activity and its attempts.
// Temporal records only the last attempt's start; earlier attempts are
// known by their number and the failure of the one before the last.
type Activity struct {
	ActivityID  string    `json:"activity_id"`
	Type        string    `json:"type"`
	Summary     string    `json:"summary,omitempty"`
	ScheduledAt time.Time `json:"scheduled_at"`
	MaxAttempts int32     `json:"max_attempts,omitempty"`
	// Attempts is the number of the last attempt that started.
	Attempts      int32     `json:"attempts"`
	LastStartedAt time.Time `json:"last_started_at,omitzero"`
	// PreviousFailure is the error of attempt Attempts-1.
	PreviousFailure []Cause `json:"previous_failure,omitempty"`
	// Outcome is completed, failed, timed out, canceled, or pending.
	Outcome string    `json:"outcome"`
	EndedAt time.Time `json:"ended_at,omitzero"`
	// Failure is the last attempt's error.
	Failure []Cause `json:"failure,omitempty"`
	// RetryState says why Temporal stopped retrying: a non-retryable
	// error, or the attempts or time were used up.
	RetryState     string    `json:"retry_state,omitempty"`
	NextAttemptAt  time.Time `json:"next_attempt_at,omitzero"`
	PendingFailure []Cause   `json:"pending_failure,omitempty"`
	// History lists every failed attempt with its times and error, as
	// shopflow's activities record it in their errors' details (see
	// activities.Attempt); Temporal's own history keeps only the last.
	History []activities.Attempt `json:"attempt_history,omitempty"`
}

// ShowOptions tunes Show.
type ShowOptions struct {
	// RunID picks a run; the latest if empty.
	RunID string
	// Payload decodes the webhook's body into Detail.Payload.
	Payload bool
}

// Show explains one dead letter from its history.
func (s *Store) Show(ctx context.Context, workflowID string, opts ShowOptions) (*Detail, error) {
	latest, err := s.describe(ctx, workflowID, "")
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", workflowID, err)
	}
	runID := opts.RunID
	if runID == "" {
		runID = latest.GetWorkflowExecutionInfo().GetExecution().GetRunId()
	}
	desc := latest
	if runID != latest.GetWorkflowExecutionInfo().GetExecution().GetRunId() {
		if desc, err = s.describe(ctx, workflowID, runID); err != nil {
			return nil, fmt.Errorf("describing %s run %s: %w", workflowID, runID, err)
		}
	}
	info := desc.GetWorkflowExecutionInfo()
	if t := info.GetType().GetName(); !isWebhookWorkflow(t) {
		return nil, fmt.Errorf("%s is a %s workflow, not a webhook's: it cannot be a dead letter", workflowID, t)
	}
	d := &Detail{
		DeadLetter:  fromInfo(info),
		Status:      info.GetStatus().String(),
		LatestRunID: latest.GetWorkflowExecutionInfo().GetExecution().GetRunId(),
	}
	d.Summary = s.decodeSummary(desc.GetExecutionConfig().GetUserMetadata().GetSummary())
	d.Open = d.LatestRunID == runID && info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_FAILED
	if info.GetCloseTime() == nil {
		d.FailedAt = time.Time{}
	}

	if err := s.readHistory(ctx, workflowID, runID, d, opts.Payload); err != nil {
		return nil, err
	}
	// A run still going shows its retrying activities only here.
	for _, p := range desc.GetPendingActivities() {
		for i := range d.Activities {
			a := &d.Activities[i]
			if a.ActivityID != p.GetActivityId() {
				continue
			}
			a.Attempts = max(a.Attempts, p.GetAttempt())
			a.PendingFailure = s.chain(p.GetLastFailure())
			if h := attemptHistory(s.dc, p.GetHeartbeatDetails()); len(h) > 0 {
				a.History = h
			}
			if t := p.GetNextAttemptScheduleTime(); t != nil {
				a.NextAttemptAt = t.AsTime()
			}
		}
	}
	return d, nil
}

// readHistory fills d from the run's events.
func (s *Store) readHistory(ctx context.Context, workflowID, runID string, d *Detail, withPayload bool) error {
	iter := s.client.GetWorkflowHistory(ctx, workflowID, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	byScheduled := map[int64]int{} // scheduled event ID -> index in d.Activities
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			return fmt.Errorf("reading the history of %s: %w", workflowID, err)
		}
		d.HistoryLength++
		at := ev.GetEventTime().AsTime()
		switch {
		case ev.GetWorkflowExecutionStartedEventAttributes() != nil:
			if err := decodeWebhook(s.dc, ev.GetWorkflowExecutionStartedEventAttributes(), d, withPayload); err != nil {
				return err
			}
		case ev.GetActivityTaskScheduledEventAttributes() != nil:
			a := ev.GetActivityTaskScheduledEventAttributes()
			byScheduled[ev.GetEventId()] = len(d.Activities)
			d.Activities = append(d.Activities, Activity{
				ActivityID:  a.GetActivityId(),
				Type:        a.GetActivityType().GetName(),
				Summary:     s.decodeSummary(ev.GetUserMetadata().GetSummary()),
				ScheduledAt: at,
				MaxAttempts: a.GetRetryPolicy().GetMaximumAttempts(),
				Outcome:     "pending",
			})
		case ev.GetActivityTaskStartedEventAttributes() != nil:
			a := ev.GetActivityTaskStartedEventAttributes()
			if i, ok := byScheduled[a.GetScheduledEventId()]; ok {
				act := &d.Activities[i]
				act.Attempts, act.LastStartedAt = a.GetAttempt(), at
				act.PreviousFailure = s.chain(a.GetLastFailure())
			}
		case ev.GetActivityTaskCompletedEventAttributes() != nil:
			d.endActivity(byScheduled, ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId(), at, "completed", nil, enumspb.RETRY_STATE_UNSPECIFIED)
		case ev.GetActivityTaskFailedEventAttributes() != nil:
			a := ev.GetActivityTaskFailedEventAttributes()
			d.endActivity(byScheduled, a.GetScheduledEventId(), at, "failed", s.chain(a.GetFailure()), a.GetRetryState())
			if i, ok := byScheduled[a.GetScheduledEventId()]; ok {
				d.Activities[i].History = attemptHistory(s.dc, a.GetFailure().GetApplicationFailureInfo().GetDetails())
			}
		case ev.GetActivityTaskTimedOutEventAttributes() != nil:
			a := ev.GetActivityTaskTimedOutEventAttributes()
			d.endActivity(byScheduled, a.GetScheduledEventId(), at, "timed out", s.chain(a.GetFailure()), a.GetRetryState())
		case ev.GetActivityTaskCanceledEventAttributes() != nil:
			d.endActivity(byScheduled, ev.GetActivityTaskCanceledEventAttributes().GetScheduledEventId(), at, "canceled", nil, enumspb.RETRY_STATE_UNSPECIFIED)
		case ev.GetWorkflowExecutionFailedEventAttributes() != nil:
			a := ev.GetWorkflowExecutionFailedEventAttributes()
			d.Error, d.RetryState, d.FailedAt = s.chain(a.GetFailure()), retryState(a.GetRetryState()), at
		}
	}
	return nil
}

// endActivity records how the activity scheduled by event id ended.
func (d *Detail) endActivity(byScheduled map[int64]int, id int64, at time.Time, outcome string, failure []Cause, rs enumspb.RetryState) {
	i, ok := byScheduled[id]
	if !ok {
		return
	}
	a := &d.Activities[i]
	a.Outcome, a.EndedAt, a.Failure = outcome, at, failure
	if rs != enumspb.RETRY_STATE_UNSPECIFIED {
		a.RetryState = retryState(rs)
	}
}

// decodeWebhook reads the webhook's headers into d and, if asked, its body.
func decodeWebhook(dc converter.DataConverter, a *historypb.WorkflowExecutionStartedEventAttributes, d *Detail, withPayload bool) error {
	payloads := a.GetInput().GetPayloads()
	if len(payloads) == 0 {
		return nil
	}
	var hook workflows.Webhook
	if err := dc.FromPayload(payloads[len(payloads)-1], &hook); err != nil {
		// Not a webhook workflow; say so without echoing the input.
		return fmt.Errorf("the workflow's input is not a webhook: %v", err)
	}
	d.WebhookID, d.TriggeredAt = hook.ID, hook.TriggeredAt
	if !withPayload {
		return nil
	}
	switch {
	case len(hook.Payload) > 0:
		d.Payload = hook.Payload
	case len(hook.InvalidBody) > 0:
		raw, err := json.Marshal(string(hook.InvalidBody))
		if err != nil {
			return err
		}
		d.Payload = raw
	}
	return nil
}

// attemptHistory decodes the retry history an activity's error or
// heartbeat carries; nil if there is none.
func attemptHistory(dc converter.DataConverter, details *commonpb.Payloads) []activities.Attempt {
	if len(details.GetPayloads()) == 0 {
		return nil
	}
	var h []activities.Attempt
	if err := dc.FromPayload(details.GetPayloads()[0], &h); err != nil {
		return nil
	}
	return h
}

// retryState names a retry state, e.g. MaximumAttemptsReached.
func retryState(rs enumspb.RetryState) string {
	return rs.String()
}
