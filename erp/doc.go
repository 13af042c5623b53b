// Package erp is shopflow's client for the merchant ERP's JSON API:
// product master data, invoices, fulfillment requests and stock.
//
// The client never retries: Temporal activities own retries, so every call
// makes exactly one attempt and reports what happened. Calls that create
// something take an idempotency key, which the ERP uses to turn a retried
// request into a replay of the first answer, so an activity can retry
// after an ambiguous failure (a timeout after the ERP committed) without
// creating a second invoice. Note that Go's http.Transport may itself
// resend a request carrying an Idempotency-Key once when a reused
// keep-alive connection dies before any answer; the key makes that safe.
//
// Errors come in three kinds:
//   - *APIError for every non-2xx answer (use errors.As), carrying the
//     status, the ERP's error code and a parsed Retry-After;
//   - ErrProductNotFound (use errors.Is) when no product matches;
//   - transport errors, returned wrapped with %w so errors.Is(err,
//     context.DeadlineExceeded) and errors.As(err, new(net.Error)) work.
//
// Request and response bodies hold customer data and are never logged or
// copied into errors.
package erp
