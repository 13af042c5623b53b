package backfill

import (
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/workflows"
)

// TaskQueue is the task queue of backfill work.
const TaskQueue = "shopflow-backfill"

// kinds is the one registry of backfill kinds, e.g. product metafields from
// the ERP; a kind's name is its workflow type. To add one, write it in a
// file of this package and add it here; the worker picks it up from this
// list.
var kinds = []workflows.Definition{}

// Kinds returns every backfill kind, in registry order.
func Kinds() []workflows.Definition { return append([]workflows.Definition(nil), kinds...) }

// Register registers every backfill kind's workflow on a worker, bound to
// cfg.
func Register(r worker.WorkflowRegistry, cfg workflows.Config) {
	workflows.RegisterDefinitions(r, cfg, kinds)
}
