// Package backfill holds shopflow's backfills: operator-started workflows
// that bring a large set of entities in line between the ERP and Shopify,
// batched, rate-limited, dry-run first, resumable and reversible. They run
// on their own task queue (TaskQueue), so that a backfill never delays
// webhook work, and a worker can be started for either queue or both.
//
// A backfill kind is one file here plus one entry in registry.go. It
// imports package workflows for keys, IDs and failure handling; package
// workflows never imports this one.
package backfill
