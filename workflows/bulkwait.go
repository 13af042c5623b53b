package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/shopify/admin"
)

// BulkOperationWaitName is the workflow type that waits for a bulk
// operation; a workflow that starts a bulk query runs it as a child with
// ID BulkOperationWaitID.
const BulkOperationWaitName = "BulkOperationWait"

// BulkOperationFinishedSignal is the signal the bulk_operations/finish
// webhook's workflow sends the waiting workflow, with the status.
const BulkOperationFinishedSignal = "bulk-operation-finished"

// BulkWaitInput names the operation to wait for.
type BulkWaitInput struct {
	Shop string
	// OperationID is the bulk operation's GID.
	OperationID string
	// PollInterval is how often to ask Shopify when no webhook comes
	// (a webhook may be lost, or arrive before this workflow started);
	// DefaultBulkPollInterval if zero.
	PollInterval time.Duration
}

// DefaultBulkPollInterval is the polling fallback's period: the webhook is
// the fast path.
const DefaultBulkPollInterval = 30 * time.Second

// BulkOperationWait waits until a bulk operation ends and returns its
// final status: it learns it from the bulk_operations/finish webhook (as a
// signal) or, failing that, by polling; it polls once at the start, as
// the webhook may have come before it existed. A signal that does not
// decode is logged (without its payload) and dropped, and it asks Shopify.
func BulkOperationWait(cfg Config) any {
	return func(ctx workflow.Context, in BulkWaitInput) (string, error) {
		if in.PollInterval <= 0 {
			in.PollInterval = DefaultBulkPollInterval
		}
		finished := workflow.GetSignalChannel(ctx, BulkOperationFinishedSignal)
		for {
			var status string
			err := workflow.ExecuteActivity(WithActivity(ctx, cfg, "Ask Shopify how bulk operation "+in.OperationID+" is doing"),
				InventoryActivities.BulkOperationStatus, activities.BulkOperationStatusInput{Shop: in.Shop, ID: in.OperationID}).Get(ctx, &status)
			if err != nil {
				return "", err
			}
			if bulkDone(status) {
				return status, nil
			}
			timer := workflow.NewTimer(ctx, in.PollInterval)
			sel := workflow.NewSelector(ctx)
			sel.AddReceive(finished, func(c workflow.ReceiveChannel, _ bool) {
				// ReceiveAsync, not Receive: the SDK drops a signal it cannot
				// decode (under another encryption key, or not a status), and
				// Receive would then wait for the next signal, deaf to the
				// timer, forever.
				if c.ReceiveAsync(&status) {
					return
				}
				if workflow.GetVersion(ctx, undecodableSignalChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
					c.Receive(ctx, &status) // runs that met such a signal before this change replay as they ran
					return
				}
				// No payload in the log: it is undecodable, and may be a shop's data.
				workflow.GetLogger(ctx).Warn("dropped a bulk operation signal that does not decode; asking Shopify instead",
					"shop", in.Shop, "bulk_operation", in.OperationID, "signal", BulkOperationFinishedSignal)
			})
			sel.AddFuture(timer, func(workflow.Future) {})
			sel.Select(ctx)
			if bulkDone(status) {
				return status, nil
			}
		}
	}
}

// undecodableSignalChange is the change ID, for workflow.GetVersion, of
// polling after an undecodable signal instead of waiting for another one.
const undecodableSignalChange = "bulk-wait-undecodable-signal"

// AwaitBulkOperation waits, in a BulkOperationWait child (which the
// bulk_operations/finish webhook signals, polling if none comes), for the
// bulk operation op of shop to end; it fails unless the operation
// COMPLETED. The calling workflow's worker must register
// BulkOperationWait.
func AwaitBulkOperation(ctx workflow.Context, shop, op string, poll time.Duration) error {
	_, n, err := admin.ParseGID(op)
	if err != nil {
		return err
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:    BulkOperationWaitID(shop, strconv.FormatInt(n, 10)),
		StaticSummary: "Wait for bulk operation " + op + " of " + shop,
	})
	var status string
	err = workflow.ExecuteChildWorkflow(cctx, BulkOperationWaitName, BulkWaitInput{Shop: shop, OperationID: op, PollInterval: poll}).Get(ctx, &status)
	if err != nil {
		return err
	}
	if status != "COMPLETED" {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("bulk operation %s ended %s", op, status), activities.FailureDownstreamRejected, nil)
	}
	return nil
}

// bulkDone reports whether a status ("COMPLETED", or the webhook's
// "completed") is final.
func bulkDone(status string) bool {
	switch status {
	case "COMPLETED", "FAILED", "CANCELED", "EXPIRED", "completed", "failed", "canceled", "expired":
		return true
	}
	return false
}
