package activities

import (
	"context"
	"encoding/json"
	"time"

	"go.temporal.io/sdk/activity"
)

// Attempt is one failed attempt of an activity.
type Attempt struct {
	Number    int32     `json:"attempt"`
	StartedAt time.Time `json:"started_at"`
	FailedAt  time.Time `json:"failed_at"`
	Error     string    `json:"error"`
}

// maxAttemptHistory bounds the retry history an error carries.
const maxAttemptHistory = 50

// recordAttempt adds this attempt's failure to the activity's retry history
// and returns the history, oldest first. Temporal's history keeps only the
// last attempt of an activity; shopflow keeps the others in the activity's
// heartbeat details, which the server hands to the next attempt, and every
// error an activity returns carries the whole history as its details, so
// that a dead letter shows every attempt with its time and error. An
// attempt killed by its timeout never returns and leaves a gap in the
// numbers. progress is the attempt's progress to hand on with the history
// (see heartbeatDetails).
func recordAttempt(ctx context.Context, err error, progress json.RawMessage) []Attempt {
	history := lastHeartbeat(ctx).Attempts
	info := activity.GetInfo(ctx)
	history = append(history, Attempt{Number: info.Attempt, StartedAt: info.StartedTime, FailedAt: time.Now(), Error: err.Error()})
	if len(history) > maxAttemptHistory {
		history = history[len(history)-maxAttemptHistory:]
	}
	// The first heartbeat of an attempt is sent at once, before the
	// failure is reported, so the next attempt finds it.
	activity.RecordHeartbeat(ctx, heartbeatDetails{Attempts: history, Progress: progress})
	return history
}
