// Package activities holds every side effect of shopflow's workflows: calls
// to the ERP and, for workflows that need it, to Shopify. Activities are
// methods on structs whose dependencies (clients, retry settings) are
// injected by the worker.
//
// Errors leave an activity classified (see classify.go): permanent failures
// as non-retryable ApplicationErrors with a FailureKind type, transient ones
// as retryable errors carrying their next retry delay with jitter.
package activities
