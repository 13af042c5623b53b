package backfill

import (
	"errors"
	"fmt"
	"math"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/workflows"
)

// The generic backfill workflow: every kind runs it, bound to the kind's
// name. It reads and writes nothing itself: each batch is one activity
// (activities.Backfill.RunBackfillBatch) that reads both sides, records the
// snapshot and writes what differs. Above Params.BulkThreshold items, the
// workflow first has Shopify export the side written to by one bulk query
// (bulkRead), which the batches read instead of pages, so that the bucket
// goes to the writes. The workflow keeps the cursor and the
// counts, paces batches to the operator's rate, obeys pause, resume and
// set-rate, and continues as new every batchesPerRun batches so that its
// history stays small however many items there are.

// Names of the workflow's query and updates, for the starter.
const (
	QueryProgress = "progress"
	UpdatePause   = "pause"
	UpdateResume  = "resume"
	UpdateSetRate = "set-rate"
)

// Defaults and bounds of a backfill's parameters.
const (
	DefaultBatchSize = 100
	MaxBatchSize     = 250
	// batchesPerRun bounds one run's history (about 12 events a batch)
	// before continue-as-new.
	batchesPerRun = 200
	// logEvery is how many batches pass between progress log lines.
	logEvery = 10
	// batchTimeout bounds one attempt of a batch, waits for the Shopify
	// budget included; heartbeatTimeout is how soon a dead worker is
	// noticed (the activity heartbeats every 2 s while it runs).
	batchTimeout     = 5 * time.Minute
	heartbeatTimeout = 10 * time.Second
	// DefaultBulkThreshold: paged reads cost about 3 points a product, so
	// above a thousand products (more than a Standard shop's full bucket)
	// a bulk query, which costs next to nothing, leaves the budget to the
	// writes; below, its wait (seconds to minutes) is not worth it.
	DefaultBulkThreshold = 1000
)

// Params are what an operator chooses when starting a backfill.
type Params struct {
	// Shop is the shop's myshopify domain.
	Shop string
	// Filter narrows the items, in the kind's terms (for metafields,
	// Shopify's product search syntax); empty for all.
	Filter string
	// DryRun reads both sides and records what would change, changing
	// nothing.
	DryRun bool
	// BatchSize is how many items one batch reads; DefaultBatchSize if 0.
	BatchSize int
	// MaxRate caps the pace in items per minute; 0 leaves it to the
	// Shopify budget.
	MaxRate float64
	// BatchesPerRun is how many batches a run does before it continues as
	// new; 200 (about 2,500 history events) if 0. Tests lower it.
	BatchesPerRun int
	// BulkThreshold is the item count above which the side written to is
	// read by one bulk query rather than by pages; DefaultBulkThreshold if
	// 0, never if negative.
	BulkThreshold int
	// BulkPollInterval is how often the wait for the bulk query asks
	// Shopify when no bulk_operations/finish webhook comes;
	// workflows.DefaultBulkPollInterval if 0.
	BulkPollInterval time.Duration
}

// Validate reports what is wrong with p, if anything.
func (p Params) Validate() error {
	var errs []error
	if p.Shop == "" {
		errs = append(errs, errors.New("a shop is required"))
	}
	if p.BatchSize < 0 || p.BatchSize > MaxBatchSize {
		errs = append(errs, fmt.Errorf("batch size must be between 1 and %d", MaxBatchSize))
	}
	if p.MaxRate < 0 || math.IsNaN(p.MaxRate) || math.IsInf(p.MaxRate, 0) {
		errs = append(errs, errors.New("max rate must be a non-negative number of items per minute"))
	}
	return errors.Join(errs...)
}

// State is a backfill's progress, carried from run to run.
type State struct {
	// Cursor is where the next batch starts; Batch the batches done.
	Cursor string
	Batch  int
	// Total is the item count taken at the start; Counted says it was.
	Total   int
	Counted bool
	// Done items were read; Changed, Skipped and Failed partition them.
	Done, Changed, Skipped, Failed int
	// Fields counts the field changes (predicted, in a dry run).
	Fields int
	// Redone counts batches run more than once (a worker died, a retry).
	Redone int
	Paused bool
	// ActiveSeconds is the time spent running (not paused), for the rate.
	ActiveSeconds float64
	// Sample is the first few changes.
	Sample []erp.FieldChange
	// Finished says every batch is done.
	Finished bool
	// Bucket is the shop's bucket as the last batch left it, handed to
	// the next batch, which may run in another worker process.
	Bucket *admin.BucketState
	// BulkDecided says the way of reading was chosen; BulkOperation is the
	// completed bulk read the batches take their items from ("" to page).
	BulkDecided   bool
	BulkOperation string
}

// Input is the workflow's argument: the operator's parameters and, after
// continue-as-new, the state so far.
type Input struct {
	Params
	State State
}

// Progress answers the progress query and the updates.
type Progress struct {
	Kind   string
	Shop   string
	DryRun bool
	State
	MaxRate float64
	// Rate is the items per minute while running; ETA the time left at
	// that rate, 0 when unknown.
	Rate float64
	ETA  time.Duration
}

// run is one backfill run: its kind, parameters and state.
type run struct {
	cfg       workflows.Config
	kind      Kind
	in        Input
	logger    log.Logger
	rateEpoch int // bumped by set-rate, so that a pacing wait restarts
	since     time.Time
	// paceFrom and paceItems are the pace's origin and the items done
	// since.
	paceFrom  time.Time
	paceItems int
}

func (r *run) progress(now time.Time) Progress {
	st := r.in.State
	if !st.Paused && !st.Finished {
		st.ActiveSeconds += now.Sub(r.since).Seconds()
	}
	p := Progress{Kind: r.kind.Name, Shop: r.in.Shop, DryRun: r.in.DryRun, State: st, MaxRate: r.in.MaxRate}
	if st.ActiveSeconds > 0 {
		p.Rate = float64(st.Done) / st.ActiveSeconds * 60
	}
	if left := st.Total - st.Done; left > 0 && p.Rate > 0 && !st.Finished {
		p.ETA = time.Duration(float64(left) / p.Rate * float64(time.Minute)).Round(time.Second)
	}
	return p
}

// fold adds the running time since the last fold to ActiveSeconds.
func (r *run) fold(now time.Time) {
	if !r.in.State.Paused && !r.in.State.Finished {
		r.in.State.ActiveSeconds += now.Sub(r.since).Seconds()
	}
	r.since = now
}

// setPaused pauses or resumes, keeping ActiveSeconds right.
func (r *run) setPaused(now time.Time, paused bool) {
	r.fold(now)
	r.in.State.Paused = paused
	r.restartPace(now)
}

// runBackfill is the workflow of kind k.
func runBackfill(ctx workflow.Context, cfg workflows.Config, k Kind, in Input) (Progress, error) {
	r := &run{cfg: cfg, kind: k, in: in, since: workflow.Now(ctx), paceFrom: workflow.Now(ctx),
		logger: log.With(workflow.GetLogger(ctx), "backfill", workflow.GetInfo(ctx).WorkflowExecution.ID, "shop", in.Shop, "kind", k.Name)}
	if err := in.Params.Validate(); err != nil {
		return Progress{}, workflows.Fail(ctx, r.logger, activities.FailureInvalidPayload, err)
	}
	if r.in.BatchSize == 0 {
		r.in.BatchSize = DefaultBatchSize
	}
	if r.in.BatchesPerRun <= 0 {
		r.in.BatchesPerRun = batchesPerRun
	}
	if err := r.handle(ctx); err != nil {
		return Progress{}, err
	}
	st := &r.in.State

	if !st.Counted {
		err := workflow.ExecuteActivity(workflows.WithActivity(ctx, cfg, "Count "+k.Items+" of "+in.Shop),
			backfillActivities.CountBackfillItems, activities.CountBackfillInput{Kind: k.Name, Shop: in.Shop, Filter: in.Filter}).Get(ctx, &st.Total)
		if err != nil {
			return Progress{}, workflows.FailActivity(ctx, r.logger, err)
		}
		st.Counted = true
	}
	if !st.BulkDecided {
		// Only a backfill that has not begun may read in bulk: the bulk
		// read's cursor is an item ID, not a page cursor. Runs begun before
		// bulk reads existed (DefaultVersion) go on by pages.
		var op string
		if st.Batch == 0 && workflow.GetVersion(ctx, bulkReadChange, workflow.DefaultVersion, 1) == 1 {
			var err error
			if op, err = r.bulkRead(ctx); err != nil {
				return Progress{}, r.stopped(ctx, err)
			}
		}
		st.BulkDecided, st.BulkOperation = true, op
	}

	for batches := 0; !st.Finished; batches++ {
		if batches == r.in.BatchesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return Progress{}, r.stopped(ctx, err)
			}
			return Progress{}, workflow.NewContinueAsNewError(ctx, k.Workflow, r.carry(ctx))
		}
		if st.Paused {
			r.report(ctx, false)
			if err := workflow.Await(ctx, func() bool { return !st.Paused }); err != nil {
				return Progress{}, r.stopped(ctx, err)
			}
			r.report(ctx, true)
		}
		res, err := r.batch(ctx)
		if err != nil {
			return Progress{}, r.stopped(ctx, err)
		}
		r.fold(workflow.Now(ctx))
		r.count(res)
		if st.Batch%logEvery == 0 || st.Finished {
			p := r.progress(workflow.Now(ctx))
			r.logger.Info("backfill progress", "batch", st.Batch, "done", st.Done, "total", st.Total,
				"changed", st.Changed, "skipped", st.Skipped, "failed", st.Failed, "rate_per_min", math.Round(p.Rate), "eta", p.ETA.String())
		}
		if !st.Finished {
			if err := r.pace(ctx, res.Items); err != nil {
				return Progress{}, r.stopped(ctx, err)
			}
		}
	}
	r.report(ctx, false)
	p := r.progress(workflow.Now(ctx))
	r.logger.Info("backfill finished", "done", st.Done, "changed", st.Changed, "skipped", st.Skipped, "failed", st.Failed, "dry_run", in.DryRun)
	return p, nil
}

// carry is the input of the next run: the state with the running time
// so far folded in.
func (r *run) carry(ctx workflow.Context) Input {
	r.fold(workflow.Now(ctx))
	return r.in
}

// handle registers the progress query and the pause, resume and set-rate
// updates; each update answers with the state after it.
func (r *run) handle(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryProgress, func() (Progress, error) {
		return r.progress(workflow.Now(ctx)), nil
	}); err != nil {
		return err
	}
	notFinished := func(workflow.Context) error {
		if r.in.State.Finished {
			return errors.New("the backfill has finished")
		}
		return nil
	}
	pause := func(paused bool) func(workflow.Context) (Progress, error) {
		return func(ctx workflow.Context) (Progress, error) {
			r.setPaused(workflow.Now(ctx), paused)
			r.logger.Info("backfill paused or resumed", "paused", paused)
			return r.progress(workflow.Now(ctx)), nil
		}
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdatePause, pause(true), workflow.UpdateHandlerOptions{Validator: notFinished}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateResume, pause(false), workflow.UpdateHandlerOptions{Validator: notFinished}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateSetRate,
		func(ctx workflow.Context, perMinute float64) (Progress, error) {
			r.in.MaxRate = perMinute
			r.rateEpoch++
			r.restartPace(workflow.Now(ctx))
			r.logger.Info("backfill rate set", "max_rate_per_min", perMinute)
			return r.progress(workflow.Now(ctx)), nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, perMinute float64) error {
			if perMinute < 0 || math.IsNaN(perMinute) || math.IsInf(perMinute, 0) {
				return errors.New("the rate must be a non-negative number of items per minute (0: no cap)")
			}
			return notFinished(ctx)
		}})
}

// batch runs the next batch.
func (r *run) batch(ctx workflow.Context) (activities.BackfillBatchResult, error) {
	st := r.in.State
	n := st.Batch + 1
	what := "Backfill"
	if r.in.DryRun {
		what = "Dry-run"
	}
	actx := workflows.WithActivity(ctx, r.cfg, fmt.Sprintf("%s batch %d of %s on %s", what, n, r.kind.Items, r.in.Shop))
	actx = workflow.WithStartToCloseTimeout(actx, batchTimeout)
	actx = workflow.WithHeartbeatTimeout(actx, heartbeatTimeout)
	var res activities.BackfillBatchResult
	err := workflow.ExecuteActivity(actx, backfillActivities.RunBackfillBatch, activities.BackfillBatchInput{
		Kind: r.kind.Name, Shop: r.in.Shop, Filter: r.in.Filter,
		Backfill: workflow.GetInfo(ctx).WorkflowExecution.ID, Batch: n, Cursor: st.Cursor,
		Limit: r.in.BatchSize, DryRun: r.in.DryRun, Done: st.Done, Total: st.Total, Bucket: st.Bucket,
		BulkOperation: st.BulkOperation,
	}).Get(ctx, &res)
	return res, err
}

// bulkReadChange is the change ID of bulk reads, for workflow.GetVersion.
const bulkReadChange = "backfill-bulk-read"

// bulkRead starts, for a backfill above the bulk threshold, the bulk read
// of its items and waits for it; it returns the operation's ID, or "" to
// read by pages (a small backfill, or a kind that cannot read in bulk).
func (r *run) bulkRead(ctx workflow.Context) (string, error) {
	threshold := r.in.BulkThreshold
	if threshold == 0 {
		threshold = DefaultBulkThreshold
	}
	if threshold < 0 || r.in.State.Total <= threshold {
		return "", nil
	}
	var op string
	err := workflow.ExecuteActivity(workflows.WithActivity(ctx, r.cfg, fmt.Sprintf("Start a bulk read of %d %s of %s", r.in.State.Total, r.kind.Items, r.in.Shop)),
		backfillActivities.StartBackfillBulkRead, activities.StartBackfillBulkInput{Kind: r.kind.Name, Shop: r.in.Shop, Filter: r.in.Filter}).Get(ctx, &op)
	if err != nil || op == "" {
		return "", err
	}
	r.logger.Info("backfill reads by bulk query", "operation", op, "total", r.in.State.Total)
	return op, workflows.AwaitBulkOperation(ctx, r.in.Shop, op, r.in.BulkPollInterval)
}

// count adds a batch's result to the state.
func (r *run) count(res activities.BackfillBatchResult) {
	st := &r.in.State
	st.Batch++
	st.Cursor = res.Next
	st.Done += res.Items
	st.Changed += res.Changed
	st.Skipped += res.Skipped
	st.Failed += res.Failed
	st.Fields += res.Fields
	if res.Attempt > 1 {
		st.Redone++
	}
	for _, c := range res.Sample {
		if len(st.Sample) < 10 {
			st.Sample = append(st.Sample, c)
		}
	}
	st.Total = max(st.Total, st.Done)
	st.Bucket = res.Bucket
	st.Finished = !res.More
}

// pace waits until the items done since the pace's origin (the run's
// start, the last resume or set-rate) have taken what the rate allows.
// Measuring from an origin rather than per batch keeps the average at the
// cap although timers fire late (the server's timers have about a second's
// resolution): a late batch is made up by the next not waiting. A set-rate
// or a pause during the wait takes effect at once.
func (r *run) pace(ctx workflow.Context, items int) error {
	r.paceItems += items
	for {
		rate, epoch := r.in.MaxRate, r.rateEpoch
		if rate <= 0 {
			return nil
		}
		wait := r.paceFrom.Add(time.Duration(float64(r.paceItems) / rate * float64(time.Minute))).Sub(workflow.Now(ctx))
		if wait <= 0 {
			return nil
		}
		changed, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return r.rateEpoch != epoch || r.in.State.Paused })
		if err != nil {
			return err
		}
		if !changed || r.in.State.Paused {
			return nil
		}
	}
}

// restartPace makes now the pace's origin.
func (r *run) restartPace(now time.Time) {
	r.paceFrom, r.paceItems = now, 0
}

// report sets the backfill's gauges (running or not) from the worker.
func (r *run) report(ctx workflow.Context, running bool) {
	st := r.in.State
	actx := workflows.WithActivity(ctx, r.cfg, "Report progress of "+workflow.GetInfo(ctx).WorkflowExecution.ID)
	err := workflow.ExecuteActivity(actx, backfillActivities.ReportBackfillProgress, activities.BackfillProgressInput{
		Kind: r.kind.Name, Shop: r.in.Shop, Backfill: workflow.GetInfo(ctx).WorkflowExecution.ID,
		Done: st.Done, Total: st.Total, Running: running,
	}).Get(ctx, nil)
	if err != nil {
		r.logger.Warn("could not report the backfill's progress", "error", err)
	}
}

// stopped ends the run after err: a cancellation by the operator clears
// the running gauge and ends as canceled; anything else is a failure.
func (r *run) stopped(ctx workflow.Context, err error) error {
	var canceled *temporal.CanceledError
	if errors.As(err, &canceled) || ctx.Err() != nil {
		dctx, _ := workflow.NewDisconnectedContext(ctx)
		r.report(dctx, false)
		r.logger.Info("backfill canceled", "done", r.in.State.Done)
		return err
	}
	return workflows.FailActivity(ctx, r.logger, err)
}

// backfillActivities names the backfill activities type-safely; the worker
// registers the real ones (worker/wiring).
var backfillActivities *activities.Backfill
