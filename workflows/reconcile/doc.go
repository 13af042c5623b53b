// Package reconcile holds shopflow's reconcilers: workflows that Temporal
// Schedules start, not webhooks, to compare a kind of state between Shopify
// and the ERP, flag drift beyond tolerance and queue corrections within the
// rate limits. They run on their own task queue (TaskQueue), so that a long
// comparison never delays webhook work.
//
// A reconciler is one file here plus one entry in registry.go. It imports
// package workflows for keys, IDs and failure handling; package workflows
// never imports this one.
package reconcile
