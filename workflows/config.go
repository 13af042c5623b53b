package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// Config holds the settings workflows read. It must be the same on every
// worker of a task queue, as workflow code must be.
type Config struct {
	// Retry is the retry policy of every activity.
	Retry activities.RetryPolicy
	// ActivityTimeout bounds one attempt of an activity.
	ActivityTimeout time.Duration
}

// DefaultConfig is used unless the worker is configured otherwise.
var DefaultConfig = Config{
	Retry:           activities.DefaultRetryPolicy,
	ActivityTimeout: 30 * time.Second,
}

// withActivity returns ctx set up for one activity call: shopflow's retry
// policy, the per-attempt timeout, and a summary the Web UI shows in place of
// the function name.
func withActivity(ctx workflow.Context, cfg Config, summary string) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: cfg.ActivityTimeout,
		RetryPolicy:         cfg.Retry.Temporal(),
		Summary:             summary,
	})
}
