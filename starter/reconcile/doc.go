// Package reconcile manages the Temporal Schedules that drive shopflow's
// reconcilers: one schedule per shop and reconciler, created or updated
// idempotently (Apply), run on demand (RunNow), described (Status) and
// watched (the Collector's gauges in `starter serve`).
//
// A schedule's ID is workflows.ReconcileScheduleID(reconciler, shop); it
// starts the reconciler's workflow on the reconcile task queue with the
// overlap policy Skip (a run still going when the next is due makes that
// one skip, so runs never overlap) and a catch-up window (after an outage,
// missed runs within the window are made up, once, thanks to Skip). Every
// schedule is visible, pausable and triggerable in the Web UI too.
package reconcile
