package reconcile

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/workflows"
)

// InventoryName is the inventory reconciler's workflow type.
const InventoryName = "ReconcileInventory"

// InventoryInput is one inventory reconciliation run, as its schedule
// starts it.
type InventoryInput struct {
	Shop string
	// Truth is which side is right: activities.TruthERP or TruthShopify.
	Truth     activities.Truth
	Tolerance activities.Tolerance
	// GraceWindow defers items changed this recently on either side;
	// activities.DefaultGraceWindow if zero.
	GraceWindow time.Duration
	// DryRun corrects nothing and reports what it would do.
	DryRun bool
	// BulkThreshold is the number of inventory items above which Shopify
	// is read by bulk query rather than paged; DefaultBulkThreshold if
	// zero, never if negative.
	BulkThreshold int
	// Interval is the schedule's, for the metrics; zero if unscheduled.
	Interval time.Duration
	// BulkPollInterval is how often the bulk read is polled when no
	// bulk_operations/finish webhook comes; workflows.DefaultBulkPollInterval
	// if zero.
	BulkPollInterval time.Duration
	// HeartbeatTimeout bounds how long a dead worker goes unnoticed during
	// a long activity; DefaultHeartbeatTimeout if zero.
	HeartbeatTimeout time.Duration
	// DriftsPerPage bounds the drifts one comparison page hands the
	// workflow, and PagesPerRun the pages before the run continues as
	// new; maxDriftsPerPage and pagesPerRun if zero.
	DriftsPerPage int
	PagesPerRun   int
	// State carries a run over continue-as-new; nil for a new run.
	State *InventoryState `json:",omitempty"`
}

// Defaults of InventoryInput.
const (
	DefaultBulkThreshold    = 5000
	DefaultHeartbeatTimeout = 30 * time.Second
)

// InventoryState is how far a run got.
type InventoryState struct {
	// Run names the run in idempotency keys and reference documents: the
	// workflow ID, which continue-as-new keeps.
	Run string
	// AsOf is when the run began; the grace window is measured from it.
	AsOf time.Time
	// FromSKU is where the next page of comparison starts.
	FromSKU string
	// BulkOperationID is the bulk read of Shopify's side, if bulk.
	BulkOperationID string
	Report          InventoryReport
}

// InventoryReport is what a run found and did: the workflow's result, and
// its "report" query while it runs.
type InventoryReport struct {
	Shop   string
	Truth  activities.Truth
	DryRun bool
	// Mode is "paged" or "bulk": how Shopify was read.
	Mode     string
	Started  time.Time
	Finished time.Time `json:",omitzero"`
	// Compared counts SKU and location pairs compared.
	Compared int
	// Skipped counts Shopify levels not reconciled (see
	// activities.InventoryDriftPage.Skipped).
	Skipped         int
	RangesCompared  int
	RangesDiffering int
	ERPRecordsRead  int
	// DriftByField counts drift beyond tolerance by field; Drifted is
	// their sum.
	DriftByField    map[string]int
	Drifted         int
	WithinTolerance int
	// Corrected counts corrections applied; WouldCorrect those a dry run
	// would apply; InSync drifts a fresh read found settled.
	Corrected    int
	WouldCorrect int
	InSync       int
	// Deferred counts drifts left to the next run (grace window, changed
	// during the run); Failed those no correction settled.
	Deferred int
	Failed   int
	// Failures and DeferredItems list the first of each, up to
	// maxListed.
	Failures      []activities.InventoryCorrection `json:",omitempty"`
	DeferredItems []activities.InventoryCorrection `json:",omitempty"`
	Done          bool
}

// Bounds that keep history small.
const (
	maxDriftsPerPage  = 500
	correctionBatch   = 50
	maxListed         = 100
	pagesPerRun       = 20
	inventoryQuery    = "report"
	correctionSummary = "Correct %d drifted stock levels of %s"
)

// ReportQuery is the query that returns a running reconciliation's report.
const ReportQuery = inventoryQuery

func inventoryWorkflow(cfg workflows.Config) any {
	return func(ctx workflow.Context, in InventoryInput) (InventoryReport, error) {
		return reconcileInventory(ctx, cfg, in)
	}
}

// reconcileInventory compares Shopify's stock with the ERP's page by page
// of SKUs and corrects the drift in the direction of truth.
func reconcileInventory(ctx workflow.Context, cfg workflows.Config, in InventoryInput) (InventoryReport, error) {
	logger := log.With(workflow.GetLogger(ctx), "shop", in.Shop, "reconciler", InventoryName)
	if in.GraceWindow == 0 {
		in.GraceWindow = activities.DefaultGraceWindow
	}
	if in.HeartbeatTimeout <= 0 {
		in.HeartbeatTimeout = DefaultHeartbeatTimeout
	}
	if in.BulkThreshold == 0 {
		in.BulkThreshold = DefaultBulkThreshold
	}
	if in.DriftsPerPage <= 0 {
		in.DriftsPerPage = maxDriftsPerPage
	}
	if in.PagesPerRun <= 0 {
		in.PagesPerRun = pagesPerRun
	}
	st := in.State
	if st == nil {
		now := workflow.Now(ctx)
		st = &InventoryState{
			Run:  workflow.GetInfo(ctx).WorkflowExecution.ID,
			AsOf: now,
			Report: InventoryReport{Shop: in.Shop, Truth: in.Truth, DryRun: in.DryRun, Started: now,
				DriftByField: map[string]int{}, Mode: "paged"},
		}
	}
	rep := &st.Report
	if err := workflow.SetQueryHandler(ctx, ReportQuery, func() (InventoryReport, error) { return *rep, nil }); err != nil {
		return *rep, err
	}
	if in.Truth != activities.TruthERP && in.Truth != activities.TruthShopify {
		return *rep, workflows.Fail(ctx, logger, activities.FailureInvalidPayload, fmt.Errorf("truth %q is neither erp nor shopify", in.Truth))
	}
	rules := activities.InventoryRules{Truth: in.Truth, Tolerance: in.Tolerance, GraceWindow: in.GraceWindow}

	if st.FromSKU == "" && st.BulkOperationID == "" && rep.Compared == 0 {
		bulkID, err := readShopifyInBulk(ctx, cfg, in)
		if err != nil {
			return *rep, workflows.FailActivity(ctx, logger, err)
		}
		if bulkID != "" {
			st.BulkOperationID, rep.Mode = bulkID, "bulk"
		}
	}

	for pages := 0; ; pages++ {
		if pages == in.PagesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			in.State = st
			return *rep, workflow.NewContinueAsNewError(ctx, InventoryName, in)
		}
		var page activities.InventoryDriftPage
		err := workflow.ExecuteActivity(longActivity(ctx, cfg, in.HeartbeatTimeout, "Compare stock of "+in.Shop+" from SKU "+quoteSKU(st.FromSKU)),
			workflows.InventoryActivities.FindInventoryDrift, activities.FindInventoryDriftInput{
				Shop: in.Shop, Run: st.Run, Rules: rules, AsOf: st.AsOf, FromSKU: st.FromSKU, MaxDrifts: in.DriftsPerPage,
				BulkOperationID: st.BulkOperationID,
			}).Get(ctx, &page)
		if err != nil {
			return *rep, workflows.FailActivity(ctx, logger, err)
		}
		rep.addPage(page)
		correctPage(ctx, cfg, in, st, rules, page)
		if page.Next == "" {
			break
		}
		st.FromSKU = page.Next
	}

	rep.Finished, rep.Done = workflow.Now(ctx), true
	recordRun(ctx, cfg, logger, InventoryName, in.Interval, rep.summary(InventoryName))
	logger.Info("inventory reconciled", "compared", rep.Compared, "drifted", rep.Drifted,
		"corrected", rep.Corrected, "deferred", rep.Deferred, "failed", rep.Failed, "dry_run", rep.DryRun)
	return *rep, nil
}

// correctPage queues a page's corrections in bounded batches and tallies
// them; a batch whose activity fails for good counts as failed, and the
// run goes on.
func correctPage(ctx workflow.Context, cfg workflows.Config, in InventoryInput, st *InventoryState, rules activities.InventoryRules, page activities.InventoryDriftPage) {
	rep := &st.Report
	for _, d := range page.Deferred {
		rep.note(activities.InventoryCorrection{Drift: d, Outcome: activities.CorrectionDeferred, Reason: "changed within the grace window"})
	}
	for _, d := range page.Uncorrectable {
		rep.note(activities.InventoryCorrection{Drift: d, Outcome: activities.CorrectionFailed, Reason: uncorrectableReason(d, in.Truth)})
	}
	for start := 0; start < len(page.Drifts); start += correctionBatch {
		batch := page.Drifts[start:min(start+correctionBatch, len(page.Drifts))]
		reqs := make([]activities.CorrectionRequest, len(batch))
		for i, d := range batch {
			reqs[i] = activities.CorrectionRequest{Drift: d, Key: workflows.InventoryCorrectionKey(st.Run, d.InventoryItemID, d.LocationID)}
		}
		var results []activities.InventoryCorrection
		err := workflow.ExecuteActivity(longActivity(ctx, cfg, in.HeartbeatTimeout, fmt.Sprintf(correctionSummary, len(batch), in.Shop)),
			workflows.InventoryActivities.CorrectInventory, activities.CorrectInventoryInput{
				Shop: in.Shop, Run: st.Run, Rules: rules, DryRun: in.DryRun, Drifts: reqs,
			}).Get(ctx, &results)
		if err != nil {
			results = results[:0]
			for _, d := range batch {
				results = append(results, activities.InventoryCorrection{Drift: d, Outcome: activities.CorrectionFailed, Reason: err.Error()})
			}
		}
		for _, r := range results {
			rep.note(r)
		}
	}
}

func uncorrectableReason(d activities.InventoryDrift, truth activities.Truth) string {
	if d.Field == activities.DriftMissingInShopify {
		return "Shopify does not stock the SKU at the location; stock it there or remove the ERP record"
	}
	return fmt.Sprintf("the ERP, the truth (%s), has no stock record for the SKU at the location", truth)
}

// addPage adds a comparison page's figures.
func (r *InventoryReport) addPage(p activities.InventoryDriftPage) {
	r.Compared += p.Compared
	r.Skipped += p.Skipped
	r.RangesCompared += p.RangesCompared
	r.RangesDiffering += p.RangesDiffering
	r.ERPRecordsRead += p.ERPRecordsRead
	r.WithinTolerance += p.WithinTolerance
	for f, n := range p.DriftByField {
		r.DriftByField[f] += n
		r.Drifted += n
	}
}

// note tallies one correction's outcome.
func (r *InventoryReport) note(c activities.InventoryCorrection) {
	switch c.Outcome {
	case activities.CorrectionApplied:
		r.Corrected++
	case activities.CorrectionWouldApply:
		r.WouldCorrect++
	case activities.CorrectionInSync:
		r.InSync++
	case activities.CorrectionDeferred:
		r.Deferred++
		if len(r.DeferredItems) < maxListed {
			r.DeferredItems = append(r.DeferredItems, c)
		}
	default:
		r.Failed++
		if len(r.Failures) < maxListed {
			r.Failures = append(r.Failures, c)
		}
	}
}

func (r *InventoryReport) summary(reconciler string) activities.ReconcileRunSummary {
	return activities.ReconcileRunSummary{
		Shop: r.Shop, Reconciler: reconciler, Started: r.Started, Finished: r.Finished,
		DriftByField: r.DriftByField, DriftItems: r.Drifted, DryRun: r.DryRun,
		Corrections: map[string]int{
			activities.CorrectionApplied: r.Corrected, activities.CorrectionFailed: r.Failed, activities.CorrectionDeferred: r.Deferred,
		},
	}
}

// recordRun reports a finished run to the metrics; failing to is logged,
// not a failed run.
func recordRun(ctx workflow.Context, cfg workflows.Config, logger log.Logger, reconciler string, interval time.Duration, s activities.ReconcileRunSummary) {
	s.Interval = interval
	err := workflow.ExecuteActivity(workflows.WithActivity(ctx, cfg, "Record the run of "+reconciler+" for "+s.Shop),
		workflows.InventoryActivities.RecordReconcileRun, s).Get(ctx, nil)
	if err != nil {
		logger.Warn("could not record the run's metrics", "error", err)
	}
}

// longActivity is WithActivity for an activity that reads or writes a
// shop's worth of data: an hour per attempt, alive as long as it
// heartbeats.
func longActivity(ctx workflow.Context, cfg workflows.Config, heartbeat time.Duration, summary string) workflow.Context {
	ctx = workflows.WithActivity(ctx, cfg, summary)
	opts := workflow.GetActivityOptions(ctx)
	opts.StartToCloseTimeout = time.Hour
	opts.HeartbeatTimeout = heartbeat
	return workflow.WithActivityOptions(ctx, opts)
}

func quoteSKU(sku string) string {
	if sku == "" {
		return "(first)"
	}
	return fmt.Sprintf("%q", sku)
}

// readShopifyInBulk decides how to read Shopify's side; for a shop above
// the bulk threshold it starts the bulk query and waits, in a child that
// the bulk_operations/finish webhook signals (polling if none comes), for
// it to complete, returning its ID. "" means page.
func readShopifyInBulk(ctx workflow.Context, cfg workflows.Config, in InventoryInput) (string, error) {
	if in.BulkThreshold < 0 {
		return "", nil
	}
	var items int
	err := workflow.ExecuteActivity(workflows.WithActivity(ctx, cfg, "Count the inventory items of "+in.Shop),
		workflows.InventoryActivities.CountInventoryItems, in.Shop).Get(ctx, &items)
	if err != nil || items <= in.BulkThreshold {
		return "", err
	}
	var op string
	err = workflow.ExecuteActivity(workflows.WithActivity(ctx, cfg, fmt.Sprintf("Start a bulk read of %d inventory items of %s", items, in.Shop)),
		workflows.InventoryActivities.StartInventoryBulkRead, in.Shop).Get(ctx, &op)
	if err != nil {
		return "", err
	}
	if err := workflows.AwaitBulkOperation(ctx, in.Shop, op, in.BulkPollInterval); err != nil {
		return "", err
	}
	return op, nil
}
