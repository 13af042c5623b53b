package workflows

import (
	"time"

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
