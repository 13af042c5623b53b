// Package deadletters is what operators work shopflow's dead letters with.
//
// A dead letter is a webhook workflow whose latest run failed: it met a
// permanent error or used up its retries, and Temporal keeps its payload,
// error, timestamps and retry history. The package finds dead letters
// through Temporal's visibility (the ShopDomain, WebhookTopic and
// FailureKind search attributes), explains one from its history, replays
// them by resetting to the first workflow task, and exports their number as
// a Prometheus gauge.
//
// A reset leaves the failed run in visibility, still Failed, next to the new
// run. Everything here therefore looks at workflow IDs: a dead letter is
// open while the latest run of its workflow ID is the failed one.
//
// Payloads hold customer data. Nothing here logs them, and Show decodes
// them only when asked to.
package deadletters
