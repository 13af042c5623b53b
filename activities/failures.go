package activities

// Failure kinds name the classes of failure an operator sorts dead letters
// by. Each is the type of the ApplicationError that ends a workflow and the
// value of its FailureKind search attribute.
const (
	// FailureProductNotFound: a line item references a product the ERP
	// does not know. Fixed by adding the product to the ERP, then replaying.
	FailureProductNotFound = "ProductNotFound"
	// FailureInvalidPayload: the webhook body is not JSON or lacks what the
	// workflow needs. Replaying will not help; the payload is kept for
	// inspection.
	FailureInvalidPayload = "InvalidPayload"
	// FailureDownstreamRejected: the ERP or Shopify refused the request
	// with a client error (4xx other than 408, 409, 425 and 429).
	FailureDownstreamRejected = "DownstreamRejected"
	// FailureOutcomeUnknown: a request that is not safe to repeat (a
	// Shopify mutation without an idempotency key) failed in a way that
	// leaves unknown whether it was applied. Check the downstream system
	// before replaying.
	FailureOutcomeUnknown = "OutcomeUnknown"
	// FailureRetriesExhausted: a transient failure outlasted every attempt.
	FailureRetriesExhausted = "RetriesExhausted"
	// FailureTransient is the type of retryable errors: a network error, a
	// timeout, a 408, 409, 425, 429 or 5xx answer. It only ends a workflow as
	// FailureRetriesExhausted.
	FailureTransient = "Transient"
)

// NonRetryableFailureKinds lists the error types Temporal must never retry.
// Activities already mark these errors non-retryable; listing them in the
// retry policy as well keeps that true if an error is ever wrapped.
func NonRetryableFailureKinds() []string {
	return []string{FailureProductNotFound, FailureInvalidPayload, FailureDownstreamRejected, FailureOutcomeUnknown}
}
