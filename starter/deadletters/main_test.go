package deadletters_test

import (
	"os"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// fastConfig fails a workflow after two quick attempts of an activity, so
// that RetriesExhausted dead letters take a fraction of a second.
var fastConfig = workflows.Config{
	Retry: activities.RetryPolicy{
		Initial: 100 * time.Millisecond, Coefficient: 1, Max: 100 * time.Millisecond, MaxAttempts: 2,
	},
	ActivityTimeout: 5 * time.Second,
}
