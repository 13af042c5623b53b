package reconcile

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/workflows"
)

// TaskQueue is the task queue of reconciliation work.
const TaskQueue = "shopflow-reconcile"

// reconcilers is the one registry of reconcilers, each run by a schedule
// per shop. To add one, write its workflow in a file of this package and
// add it here; the worker picks it up from this list.
var reconcilers = []workflows.Definition{
	{Name: InventoryName, Summary: "Reconcile inventory", Workflow: inventoryWorkflow},
	{Name: OrdersName, Summary: "Invoice paid orders the ERP missed", Workflow: ordersWorkflow},
}

// Reconcilers returns every reconciler, in registry order.
func Reconcilers() []workflows.Definition { return append([]workflows.Definition(nil), reconcilers...) }

// Register registers every reconciler's workflow on a worker, bound to cfg.
func Register(r worker.WorkflowRegistry, cfg workflows.Config) {
	workflows.RegisterDefinitions(r, cfg, reconcilers)
	// The bulk reads of reconcilers wait in a child of their own.
	r.RegisterWorkflowWithOptions(workflows.BulkOperationWait(cfg), workflow.RegisterOptions{Name: workflows.BulkOperationWaitName})
}
