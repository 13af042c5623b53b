package workflows

import (
	"errors"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// fail ends a workflow as a dead letter of the given kind: it records the
// kind in the FailureKind search attribute, so that operators can find every
// failure of one class, and returns the error the workflow must return.
func fail(ctx workflow.Context, logger log.Logger, kind string, err error) error {
	if uerr := workflow.UpsertTypedSearchAttributes(ctx, FailureKindKey.ValueSet(kind)); uerr != nil {
		logger.Error("could not record the failure kind", "error", uerr)
	}
	logger.Error("workflow failed", "failure_kind", kind, "error", err)
	return temporal.NewNonRetryableApplicationError(err.Error(), kind, err)
}

// failureKind tells which kind of dead letter an activity's error makes.
func failureKind(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case activities.FailureProductNotFound, activities.FailureDownstreamRejected, activities.FailureInvalidPayload,
			activities.FailureOutcomeUnknown:
			return appErr.Type()
		}
	}
	// A retryable error or a timeout that reached the workflow has used
	// every attempt of the retry policy.
	return activities.FailureRetriesExhausted
}

// isCanceled reports whether err comes from the workflow being canceled,
// which is an operator's decision, not a dead letter.
func isCanceled(err error) bool {
	var canceled *temporal.CanceledError
	return errors.As(err, &canceled)
}
