package reconcile

import (
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/workflows"
)

// TaskQueue is the task queue of reconciliation work.
const TaskQueue = "shopflow-reconcile"

// reconcilers is the one registry of reconcilers, each run by a schedule
// per shop. To add one, write its workflow in a file of this package and
// add it here; the worker picks it up from this list.
var reconcilers = []workflows.Definition{}

// Reconcilers returns every reconciler, in registry order.
func Reconcilers() []workflows.Definition { return append([]workflows.Definition(nil), reconcilers...) }

// Register registers every reconciler's workflow on a worker, bound to cfg.
func Register(r worker.WorkflowRegistry, cfg workflows.Config) {
	workflows.RegisterDefinitions(r, cfg, reconcilers)
}
