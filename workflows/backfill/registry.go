package backfill

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/workflows"
)

// TaskQueue is the task queue of backfill work.
const TaskQueue = "shopflow-backfill"

// Kind is one kind of backfill. Its reading, comparing and writing are
// activities.BackfillKind, under the same Name; everything else (batches,
// rate, dry run, snapshots, progress, rollback) is this package's engine.
type Kind struct {
	// Name is the kind as operators and activities name it, e.g.
	// "metafields".
	Name string
	// Workflow is its workflow type, e.g. "BackfillMetafields".
	Workflow string
	// Summary describes a run in the Web UI's list, in business terms.
	Summary string
	// Items names what it goes through, e.g. "products".
	Items string
}

// kinds is the one registry of backfill kinds, e.g. product metafields from
// the ERP. To add one, write it in a file of this package (the Kind) and
// one of package activities (its BackfillKind), and list it here and in
// activities' backfillKinds; the worker and the starter pick it up.
var kinds = []Kind{metafields}

// Kinds returns every backfill kind, in registry order.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// KindNamed returns the kind called name.
func KindNamed(name string) (Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Register registers every backfill kind's workflow, and the rollback
// workflow, on a worker, bound to cfg.
func Register(r worker.WorkflowRegistry, cfg workflows.Config) {
	defs := make([]workflows.Definition, 0, len(kinds)+1)
	for _, k := range kinds {
		defs = append(defs, workflows.Definition{Name: k.Workflow, Summary: k.Summary, Workflow: func(cfg workflows.Config) any {
			return func(ctx workflow.Context, in Input) (Progress, error) { return runBackfill(ctx, cfg, k, in) }
		}})
	}
	defs = append(defs, workflows.Definition{Name: RollbackWorkflow, Summary: "Roll a backfill back", Workflow: func(cfg workflows.Config) any {
		return func(ctx workflow.Context, in RollbackInput) (RollbackProgress, error) {
			return runRollback(ctx, cfg, in)
		}
	}})
	workflows.RegisterDefinitions(r, cfg, defs)
	// Bulk reads wait in a child of their own, on the backfill's queue;
	// the reconcilers register it too, and a replayer takes every queue's.
	r.RegisterWorkflowWithOptions(workflows.BulkOperationWait(cfg), workflow.RegisterOptions{
		Name: workflows.BulkOperationWaitName, DisableAlreadyRegisteredCheck: true})
}
