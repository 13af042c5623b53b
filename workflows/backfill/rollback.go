package backfill

import (
	"fmt"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/workflows"
)

// RollbackWorkflow is the workflow type of rollbacks, one for every kind.
const RollbackWorkflow = "RollbackBackfill"

// RollbackInput names the backfill to roll back and carries the state
// across continue-as-new.
type RollbackInput struct {
	// Backfill is the backfill's workflow ID; Kind and Shop are its.
	Backfill, Kind, Shop string
	State                RollbackState
}

// RollbackState is a rollback's progress.
type RollbackState struct {
	// AfterBatch is the last backfill batch rolled back.
	AfterBatch int
	Batches    int
	// Restored, LeftAlone and Failed count fields, as in
	// activities.BackfillRollbackResult.
	Restored, LeftAlone, Failed int
	// LeftAloneSample lists the first fields left alone; the report has
	// them all.
	LeftAloneSample []erp.FieldChange
	Finished        bool
	// Bucket is handed from batch to batch, as a backfill's.
	Bucket *admin.BucketState
}

// RollbackProgress answers the rollback's progress query.
type RollbackProgress struct {
	Backfill, Kind, Shop string
	RollbackState
}

// runRollback restores, batch by recorded batch, what a backfill changed,
// leaving alone (and reporting) every field changed since.
func runRollback(ctx workflow.Context, cfg workflows.Config, in RollbackInput) (RollbackProgress, error) {
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	logger := log.With(workflow.GetLogger(ctx), "rollback", id, "backfill", in.Backfill, "shop", in.Shop, "kind", in.Kind)
	k, ok := KindNamed(in.Kind)
	if !ok || in.Backfill == "" || in.Shop == "" {
		return RollbackProgress{}, workflows.Fail(ctx, logger, activities.FailureInvalidPayload,
			fmt.Errorf("a rollback needs a backfill ID, a shop and a known kind (got kind %q)", in.Kind))
	}
	st := &in.State
	progress := func() RollbackProgress {
		return RollbackProgress{Backfill: in.Backfill, Kind: in.Kind, Shop: in.Shop, RollbackState: *st}
	}
	if err := workflow.SetQueryHandler(ctx, QueryProgress, func() (RollbackProgress, error) { return progress(), nil }); err != nil {
		return RollbackProgress{}, err
	}
	for batches := 0; !st.Finished; batches++ {
		if batches == batchesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return RollbackProgress{}, workflow.NewContinueAsNewError(ctx, RollbackWorkflow, in)
		}
		actx := workflows.WithActivity(ctx, cfg, fmt.Sprintf("Roll back batch %d of %s of %s", st.AfterBatch+1, k.Items, in.Backfill))
		actx = workflow.WithStartToCloseTimeout(actx, batchTimeout)
		actx = workflow.WithHeartbeatTimeout(actx, heartbeatTimeout)
		var res activities.BackfillRollbackResult
		err := workflow.ExecuteActivity(actx, backfillActivities.RollbackBackfillBatch, activities.BackfillRollbackInput{
			Kind: in.Kind, Shop: in.Shop, Backfill: in.Backfill, Rollback: id, AfterBatch: st.AfterBatch, Bucket: st.Bucket,
		}).Get(ctx, &res)
		if err != nil {
			return RollbackProgress{}, workflows.FailActivity(ctx, logger, err)
		}
		if res.Done {
			st.Finished = true
			break
		}
		st.AfterBatch = res.Batch
		st.Bucket = res.Bucket
		st.Batches++
		st.Restored += res.Restored
		st.LeftAlone += res.LeftAlone
		st.Failed += res.Failed
		for _, c := range res.LeftAloneSample {
			if len(st.LeftAloneSample) < 20 {
				st.LeftAloneSample = append(st.LeftAloneSample, c)
			}
		}
		if st.Batches%logEvery == 0 {
			logger.Info("rollback progress", "batches", st.Batches, "restored", st.Restored, "left_alone", st.LeftAlone, "failed", st.Failed)
		}
	}
	logger.Info("rollback finished", "restored", st.Restored, "left_alone", st.LeftAlone, "failed", st.Failed)
	if st.Failed > 0 {
		// The rollback itself is done; what failed is in its report.
		logger.Warn("some fields could not be restored", "failed", st.Failed)
	}
	return progress(), nil
}
