// Package workflows holds shopflow's durable business processes. Code here
// is deterministic orchestration only: no I/O, clocks, randomness or map
// iteration; every side effect is an activity (package activities).
//
// A webhook reaches a workflow through the topic registry (topics.go), under
// a workflow ID derived from the webhook's ID (ids.go), so that Shopify's
// redeliveries start nothing new. Every effect a workflow asks for carries an
// idempotency key derived from the business entity (keys.go), so that
// replays, resets and reconciliation never apply it twice.
package workflows
