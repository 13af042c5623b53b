package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// classify turns the error of a downstream call into the error an activity
// returns. It is the one place where shopflow decides what is retried:
//
//   - 408, 409 (an idempotency key still in flight), 425, 429 and 5xx answers,
//     timeouts and network errors are retried, after the policy's delay with
//     jitter, and never sooner than the server's Retry-After;
//   - every other 4xx is permanent: a non-retryable DownstreamRejected;
//   - from Shopify, throttles, 429, 5xx and network errors that outlasted
//     the client's own retries are retried; a mutation that may or may not
//     have been applied is OutcomeUnknown; userErrors and other refusals
//     are DownstreamRejected.
//
// The result is always a *temporal.ApplicationError returned unwrapped,
// because the server looks only at the top-level failure's type.
func (p RetryPolicy) classify(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var classified *temporal.ApplicationError
	if errors.As(err, &classified) {
		return classified
	}
	// The previous attempt's progress is handed on: this attempt's is
	// unknown here, and redoing work is safe where skipping it is not.
	return p.classifyAttempt(activity.GetInfo(ctx).Attempt, err, recordAttempt(ctx, err, lastHeartbeat(ctx).Progress))
}

// classifyWithProgress is classify for an activity that resumes from its
// progress: the next attempt gets progress, what this one got done.
func (p RetryPolicy) classifyWithProgress(ctx context.Context, err error, progress any) error {
	var classified *temporal.ApplicationError
	b, merr := json.Marshal(progress)
	if err == nil || errors.As(err, &classified) || merr != nil {
		return p.classify(ctx, err)
	}
	return p.classifyAttempt(activity.GetInfo(ctx).Attempt, err, recordAttempt(ctx, err, b))
}

// classifyAttempt is classify for the given attempt (1-based); the error
// carries history, the activity's failed attempts so far, as its details.
func (p RetryPolicy) classifyAttempt(attempt int32, err error, history []Attempt) error {
	var classified *temporal.ApplicationError
	if errors.As(err, &classified) {
		return classified
	}
	var apiErr *erp.APIError
	if errors.As(err, &apiErr) {
		if apiErr.Retryable() {
			return p.retryable(attempt, apiErr.RetryAfter, err, history)
		}
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("ERP rejected the request: %v", err),
			FailureDownstreamRejected, err, history)
	}
	var userErrs *admin.UserErrors
	if errors.As(err, &userErrs) {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("Shopify refused the mutation: %v", err), FailureDownstreamRejected, err, history)
	}
	var shopifyErr *admin.Error
	if errors.As(err, &shopifyErr) {
		if shopifyErr.Kind.Retryable() {
			return p.retryable(attempt, shopifyErr.RetryAfter, err, history)
		}
		if shopifyErr.Kind == admin.KindOutcomeUnknown {
			return temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("Shopify may or may not have applied the request: %v", err),
				FailureOutcomeUnknown, err, history)
		}
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("Shopify rejected the request: %v", err),
			FailureDownstreamRejected, err, history)
	}
	// Network errors, timeouts and anything unknown: retry. An unknown
	// error that is really permanent costs a few attempts; a transient one
	// wrongly treated as permanent would cost a dead letter.
	return p.retryable(attempt, 0, err, history)
}

// retryable wraps err as a retryable error whose next attempt comes after
// the policy's jittered delay.
func (p RetryPolicy) retryable(attempt int32, retryAfter time.Duration, err error, history []Attempt) error {
	return temporal.NewApplicationErrorWithOptions(err.Error(), FailureTransient, temporal.ApplicationErrorOptions{
		Cause:          err,
		NextRetryDelay: p.delayFor(attempt, retryAfter),
		Details:        []any{history},
	})
}
