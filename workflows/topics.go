package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Route sends the webhooks of one Shopify topic to one workflow type.
type Route struct {
	// Topic is Shopify's topic as in X-Shopify-Topic, e.g. "orders/create".
	Topic string
	// Workflow is the workflow type started for each webhook of the topic.
	Workflow string
	// Summary describes the workflow in the Web UI's list, in business
	// terms; the shop and webhook ID are appended.
	Summary string
	run     func(workflow.Context, Config, Webhook) error
}

// routes is the one registry of the topics shopflow handles. To handle a new
// topic, write its workflow and add it here; the ingress and the worker pick
// it up from this list.
var routes = []Route{
	{Topic: "orders/create", Workflow: "OrderCreated", Summary: "Sync new order to the ERP", run: OrderCreated},
}

// RouteFor returns the route of a topic, or false if shopflow does not
// handle it.
func RouteFor(topic string) (Route, bool) {
	for _, r := range routes {
		if r.Topic == topic {
			return r, true
		}
	}
	return Route{}, false
}

// Routes returns every route, in registry order.
func Routes() []Route {
	return append([]Route(nil), routes...)
}

// WebhookWorkflowTypes returns the workflow types webhooks start, in
// registry order: what a dead letter can be.
func WebhookWorkflowTypes() []string {
	types := make([]string, len(routes))
	for i, r := range routes {
		types[i] = r.Workflow
	}
	return types
}

// Register registers every routed workflow on a worker under its type name,
// bound to cfg.
func Register(r worker.WorkflowRegistry, cfg Config) {
	for _, route := range routes {
		r.RegisterWorkflowWithOptions(func(ctx workflow.Context, hook Webhook) error {
			return route.run(ctx, cfg, hook)
		}, workflow.RegisterOptions{Name: route.Workflow})
	}
}
