package testenv

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// AwaitVisible waits until Temporal's visibility store, which is updated
// asynchronously after a workflow changes, counts at least atLeast
// executions matching query. Tests that list or count workflows must wait
// for it, or they race the indexer.
func AwaitVisible(t testing.TB, c client.Client, query string, atLeast int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
		if err == nil && resp.GetCount() >= atLeast {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("visibility never counted %d of %s (last error: %v)", atLeast, query, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// AwaitVisible is AwaitVisible on the stack's Temporal.
func (s *Stack) AwaitVisible(t testing.TB, query string, atLeast int64) {
	t.Helper()
	AwaitVisible(t, s.Temporal, query, atLeast)
}
