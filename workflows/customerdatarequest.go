package workflows

import (
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// CustomerDataReport is what shopflow holds about a customer, for the
// merchant to pass on: the workflows about the customer's orders (dead
// letters among them, which keep the order's payload) and the ERP effects
// they made. It is the workflow's result, encrypted like every payload:
// read it through the codec (`temporal workflow result` with the codec
// server, or the Web UI).
type CustomerDataReport struct {
	Shop            string
	CustomerID      int64
	DataRequestID   int64
	OrdersRequested []int64
	Workflows       []activities.WorkflowRef
	DeadLetters     int
	ERPEffects      []activities.ERPEffect
}

// CustomerDataRequest answers customers/data_request with a
// CustomerDataReport.
func CustomerDataRequest(ctx workflow.Context, cfg Config, hook Webhook) (CustomerDataReport, error) {
	logger := log.With(workflow.GetLogger(ctx), "correlation_id", hook.ID, "shop", hook.Shop, "topic", hook.Topic)
	p, err := decodeCompliance(hook)
	if err != nil {
		return CustomerDataReport{}, Fail(ctx, logger, activities.FailureInvalidPayload, err)
	}
	report := CustomerDataReport{Shop: hook.Shop, CustomerID: p.Customer.ID, DataRequestID: p.DataRequest.ID, OrdersRequested: p.OrdersRequested}
	if report.Workflows, err = findOrderWorkflows(ctx, cfg, hook.Shop, p.OrdersRequested); err != nil {
		return CustomerDataReport{}, FailActivity(ctx, logger, err)
	}
	for _, r := range report.Workflows {
		if r.DeadLetter {
			report.DeadLetters++
		}
	}
	err = workflow.ExecuteActivity(WithActivity(ctx, cfg, "Read the ERP effects of the customer's orders"),
		ComplianceActivities.ERPEffectsOf, report.Workflows).Get(ctx, &report.ERPEffects)
	if err != nil {
		return CustomerDataReport{}, FailActivity(ctx, logger, err)
	}
	logger.Info("customer data report ready", "customer_id", p.Customer.ID, "workflows", len(report.Workflows),
		"dead_letters", report.DeadLetters, "erp_effects", len(report.ERPEffects))
	return report, nil
}

// customerDataReport is CustomerDataRequest as the topic registry runs it.
func customerDataReport(ctx workflow.Context, cfg Config, hook Webhook) (any, error) {
	return CustomerDataRequest(ctx, cfg, hook)
}
