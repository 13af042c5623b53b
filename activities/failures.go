package activities

import (
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
)

// Failure kinds name the classes of failure an operator sorts dead letters
// by. Each is the type of the ApplicationError that ends a workflow and the
// value of its FailureKind search attribute. failureKinds below is the one
// list of them; everything else (retry policy, dead-letter filters, help
// texts) derives from it.
const (
	FailureProductNotFound    = "ProductNotFound"
	FailureInvalidPayload     = "InvalidPayload"
	FailureDownstreamRejected = "DownstreamRejected"
	FailureOutcomeUnknown     = "OutcomeUnknown"
	FailureRetriesExhausted   = "RetriesExhausted"
	// FailureTransient is the type of retryable errors: a network error, a
	// timeout, a 408, 409, 425, 429 or 5xx answer. It is not a failure kind
	// of its own: it only ends a workflow as FailureRetriesExhausted.
	FailureTransient = "Transient"
)

// FailureKind describes one kind of dead letter.
type FailureKind struct {
	// Name is the error type and FailureKind search attribute value.
	Name string
	// Permanent kinds are error types activities return for failures that
	// retrying cannot fix; Temporal never retries them.
	Permanent bool
	// Meaning tells an operator what happened and what to do about it.
	Meaning string
}

// failureKinds is the one list of failure kinds, in the order help texts
// list them.
var failureKinds = []FailureKind{
	{FailureProductNotFound, true,
		"a line item references a product the ERP does not know; add the product to the ERP, then replay"},
	{FailureInvalidPayload, true,
		"the webhook body is not JSON or lacks what the workflow needs; replaying will not help, the payload is kept for inspection"},
	{FailureDownstreamRejected, true,
		"the ERP or Shopify refused the request with a client error (4xx other than 408, 409, 425 and 429); fix the cause, then replay"},
	{FailureOutcomeUnknown, true,
		"a request that is not safe to repeat failed in a way that leaves unknown whether it was applied; check the downstream system before replaying"},
	{FailureRetriesExhausted, false,
		"a transient failure (network, timeout, 5xx, 429) outlasted every attempt; replay once the downstream system is healthy"},
}

// FailureKinds returns every failure kind, in help-text order.
func FailureKinds() []FailureKind {
	return append([]FailureKind(nil), failureKinds...)
}

// FailureKindNames returns the kinds' names, in help-text order.
func FailureKindNames() []string {
	names := make([]string, len(failureKinds))
	for i, k := range failureKinds {
		names[i] = k.Name
	}
	return names
}

// CheckFailureKind returns an error naming the valid kinds unless name is
// one of them.
func CheckFailureKind(name string) error {
	for _, k := range failureKinds {
		if k.Name == name {
			return nil
		}
	}
	return fmt.Errorf("unknown failure kind %q: want one of %s", name, strings.Join(FailureKindNames(), ", "))
}

// NonRetryableFailureKinds lists the error types Temporal must never retry.
// Activities already mark these errors non-retryable; listing them in the
// retry policy as well keeps that true if an error is ever wrapped.
func NonRetryableFailureKinds() []string {
	var out []string
	for _, k := range failureKinds {
		if k.Permanent {
			out = append(out, k.Name)
		}
	}
	return out
}

// FailureKindOf tells which kind of dead letter an activity's final error
// makes: its type if that is a permanent kind, else RetriesExhausted,
// since a retryable error or a timeout that reached the workflow has used
// every attempt of the retry policy.
func FailureKindOf(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		for _, k := range failureKinds {
			if k.Permanent && k.Name == appErr.Type() {
				return k.Name
			}
		}
	}
	return FailureRetriesExhausted
}
