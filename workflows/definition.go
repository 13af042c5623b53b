package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Definition is a workflow type that no webhook starts (a reconciler, a
// backfill kind): its name and how to bind its function to the worker's
// Config. The packages below workflows embed it in their registries.
type Definition struct {
	// Name is the workflow type.
	Name string
	// Summary describes a run in the Web UI's list, in business terms.
	Summary string
	// Workflow returns the workflow function bound to cfg.
	Workflow func(cfg Config) any
}

// RegisterDefinitions registers each definition's workflow on a worker
// under its name, bound to cfg.
func RegisterDefinitions(r worker.WorkflowRegistry, cfg Config, defs []Definition) {
	for _, d := range defs {
		r.RegisterWorkflowWithOptions(d.Workflow(cfg), workflow.RegisterOptions{Name: d.Name})
	}
}
