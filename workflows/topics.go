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
	// AppConfigured topics (Shopify's mandatory compliance webhooks) are
	// subscribed in the app's configuration (shopify.app.toml's
	// compliance_topics), not through the Admin API: `starter setup
	// webhooks` skips them.
	AppConfigured bool
	run           func(workflow.Context, Config, Webhook) error
	// report is run instead of run by a workflow whose result is a report
	// for the merchant (customers/data_request).
	report func(workflow.Context, Config, Webhook) (any, error)
}

// routes is the one registry of the topics shopflow handles. To handle a new
// topic, write its workflow and add it here; the ingress and the worker pick
// it up from this list.
var routes = []Route{
	{Topic: "orders/create", Workflow: "OrderCreated", Summary: "Sync new order to the ERP", run: OrderCreated},
	{Topic: "inventory_levels/update", Workflow: "InventoryLevelUpdated", Summary: "Sync stock level to the ERP", run: InventoryLevelUpdated},
	{Topic: "bulk_operations/finish", Workflow: "BulkOperationFinished", Summary: "Tell the waiting workflow its bulk operation finished", run: BulkOperationFinished},
	{Topic: "customers/data_request", Workflow: "CustomerDataRequest", Summary: "Report what shopflow holds about a customer", AppConfigured: true, report: customerDataReport},
	{Topic: "customers/redact", Workflow: "CustomerRedact", Summary: "Delete shopflow's records of a customer's orders", AppConfigured: true, run: CustomerRedact},
	{Topic: "shop/redact", Workflow: "ShopRedact", Summary: "Erase the shop's data", AppConfigured: true, run: ShopRedact},
	{Topic: "app/uninstalled", Workflow: "AppUninstalled", Summary: "Pause the uninstalled shop's work", run: AppUninstalled},
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
		if route.report != nil {
			r.RegisterWorkflowWithOptions(func(ctx workflow.Context, hook Webhook) (any, error) {
				return route.report(ctx, cfg, hook)
			}, workflow.RegisterOptions{Name: route.Workflow})
			continue
		}
		r.RegisterWorkflowWithOptions(func(ctx workflow.Context, hook Webhook) error {
			return route.run(ctx, cfg, hook)
		}, workflow.RegisterOptions{Name: route.Workflow})
	}
	// Started by the ingress in place of a webhook's workflow when the
	// webhook is older than the replay window.
	stale := StaleRoute()
	r.RegisterWorkflowWithOptions(func(ctx workflow.Context, hook Webhook) error {
		return stale.run(ctx, cfg, hook)
	}, workflow.RegisterOptions{Name: stale.Workflow})
	// Started by ShopRedact, never by a webhook.
	r.RegisterWorkflowWithOptions(func(ctx workflow.Context, shop string) error {
		return DestroyShopDataKey(ctx, cfg, shop)
	}, workflow.RegisterOptions{Name: DestroyShopDataKeyWorkflow})
}
