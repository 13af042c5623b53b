package activities

import (
	"context"
	"encoding/json"

	"go.temporal.io/sdk/activity"
)

// heartbeatDetails is what shopflow keeps in an activity's heartbeat
// details. Temporal keeps one value per activity, replaced by every
// heartbeat and handed to the next attempt, and two things live there: the
// retry history that recordAttempt keeps for dead letters, and the
// progress of an activity that resumes where its last attempt stopped.
// Every heartbeat carries both, so that neither overwrites the other (a
// retry history read back as progress made a retried correction skip work
// it had never done).
type heartbeatDetails struct {
	Attempts []Attempt       `json:"attempts,omitempty"`
	Progress json.RawMessage `json:"progress,omitempty"`
}

// lastHeartbeat returns the details the previous attempt left. Details in
// an older form, a bare retry history, keep their history and no progress,
// so the work is redone (under its idempotency keys) rather than skipped.
func lastHeartbeat(ctx context.Context) heartbeatDetails {
	var d heartbeatDetails
	if !activity.IsActivity(ctx) || !activity.HasHeartbeatDetails(ctx) {
		return d
	}
	var raw json.RawMessage
	if activity.GetHeartbeatDetails(ctx, &raw) != nil {
		return d
	}
	if json.Unmarshal(raw, &d) == nil {
		return d
	}
	var history []Attempt
	if json.Unmarshal(raw, &history) == nil {
		return heartbeatDetails{Attempts: history}
	}
	return heartbeatDetails{}
}

// recordProgress heartbeats with progress (nil for none), keeping the retry
// history of earlier attempts.
func recordProgress(ctx context.Context, progress any) {
	if !activity.IsActivity(ctx) {
		return
	}
	d := heartbeatDetails{Attempts: lastHeartbeat(ctx).Attempts}
	if progress != nil {
		if b, err := json.Marshal(progress); err == nil {
			d.Progress = b
		}
	}
	activity.RecordHeartbeat(ctx, d)
}

// progressOf decodes the progress the previous attempt recorded into v and
// reports whether there was any.
func progressOf(ctx context.Context, v any) bool {
	p := lastHeartbeat(ctx).Progress
	return len(p) > 0 && json.Unmarshal(p, v) == nil
}
