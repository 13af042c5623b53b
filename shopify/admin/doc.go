// Package admin is shopflow's client for the Shopify Admin GraphQL API.
//
// The operations live in operations/*.graphql and are compiled by genqlient
// into generated.go (regenerate with go generate; see
// shopify/schema/README.md). The generated functions take a graphql.Client;
// NewClient returns one for a shop that keeps within Shopify's cost-based
// rate limit, and the wrappers here (SetMetafields, SetInventoryQuantities,
// EachProductsPage, StartBulkQuery, SubscribeWebhooks, ...) turn mutations'
// userErrors into *UserErrors and page through connections.
//
// # Rate limiting
//
// Shopify gives each app a leaky bucket of query-cost points per shop
// (Standard: 2000 points restoring 100/s). Every Client of a shop in the
// process shares one local model of that bucket (see Registry), kept in
// step with each response's extensions.cost.throttleStatus and refilled
// continuously in between. Before a request is sent, the client waits —
// first come, first served, honouring the context — until the model holds
// the request's expected cost: the requestedQueryCost Shopify reported for
// the same operation and page sizes before, or for a first call a
// conservative estimate from the document's first:/last: arguments. It
// reserves that much and gets back requested − actual when the response
// arrives. The bucket is therefore drained while work is queued, but a
// request is only sent when Shopify can take it. The very first request to
// a shop goes out alone, to learn the bucket.
//
// Only this process's requests are modelled: several processes sharing a
// shop and app each keep their own model, corrected downwards by what
// Shopify reports, and may be throttled now and then (the client then
// waits and retries). Route a shop's traffic through one process to avoid
// that.
//
// # Failures
//
// THROTTLED answers are retried after the bucket has refilled (plus
// jitter), HTTP 429 and 503 after their Retry-After, 5xx and network
// errors with bounded exponential backoff with jitter (queries and
// retry-safe mutations only: those with an idempotency key, metafieldsSet
// without compareDigest, metafieldsDelete) unless Options.MaxErrorRetries
// is NoRetries, as ForActivities sets it. What is left comes back as
// *Error, with an ErrorKind: classify with IsRetryable, RetryAfter and
// KindOf. Permanent failures (401/403, 404, other 4xx, MAX_COST_EXCEEDED,
// GraphQL errors) are never retried. Mutations' userErrors come back as
// *UserErrors (with the error codes where the schema has them); errors.As
// finds both.
//
// A 5xx or network error on any other mutation (bulkOperationRunQuery,
// webhookSubscriptionCreate, metafieldsSet with compareDigest, ...) comes
// back at once as KindOutcomeUnknown: Shopify may have applied it, so it
// is not retryable, and sending it again could apply it twice. Only a
// request that never left (the connection could not be made) is retried
// as for a query.
//
// In a Temporal activity, build the client with
// NewClient(ForActivities(opts)), so that the activity's retry policy is
// the only layer retrying 5xx, network errors and timeouts and one attempt
// sends a request once; return a non-retryable application error for
// !IsRetryable(err) (equivalently !e.Kind.Retryable() for an *Error), and
// let Temporal retry the rest, using RetryAfter(err) as the next delay
// when present. A workflow that gets KindOutcomeUnknown should find out
// what happened (list the bulk operations or webhook subscriptions, read
// the metafield back) before trying again.
package admin

//go:generate go tool genqlient genqlient.yaml
