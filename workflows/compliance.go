package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
)

// Shopify's mandatory compliance webhooks (customers/data_request,
// customers/redact, shop/redact) and app/uninstalled, each an idempotent
// workflow: the ingress starts one per webhook ID, and every step finds
// its targets afresh, so running one twice does nothing new. Their payloads
// name customers and orders by ID only; the workflows read and keep no
// other customer data.

// ComplianceActivities names the compliance activities type-safely; the
// worker registers the real one (worker/wiring).
var ComplianceActivities *activities.Compliance

// compliancePayload is the body of the compliance webhooks: Shopify's
// fields, of which each topic sends some.
type compliancePayload struct {
	ShopID     int64  `json:"shop_id"`
	ShopDomain string `json:"shop_domain"`
	Customer   struct {
		ID int64 `json:"id"`
	} `json:"customer"`
	OrdersRequested []int64 `json:"orders_requested"`
	OrdersToRedact  []int64 `json:"orders_to_redact"`
	DataRequest     struct {
		ID int64 `json:"id"`
	} `json:"data_request"`
}

// decodeCompliance decodes and checks a compliance webhook's body: it must
// be about the shop that signed it.
func decodeCompliance(hook Webhook) (compliancePayload, error) {
	var p compliancePayload
	if len(hook.Payload) == 0 {
		return p, errors.New("the body is not JSON")
	}
	if err := json.Unmarshal(hook.Payload, &p); err != nil {
		return p, fmt.Errorf("decoding the body: %w", err)
	}
	if p.ShopDomain != hook.Shop {
		return p, fmt.Errorf("the body is about shop %q, the webhook came from %q", p.ShopDomain, hook.Shop)
	}
	return p, nil
}

// orderWorkflowsQuery finds every run, open or closed, of the shop's
// workflows about the given orders (by their ResourceID, the order's GID).
func orderWorkflowsQuery(shop string, orderIDs []int64) string {
	gids := make([]string, len(orderIDs))
	for i, id := range orderIDs {
		gids[i] = strconv.Quote(OrderGID(id))
	}
	return fmt.Sprintf("%s = %q AND %s IN (%s)", ShopDomainKey.GetName(), shop, ResourceIDKey.GetName(), strings.Join(gids, ", "))
}

// OrderGID is the Admin API ID of an order, as order workflows record it
// in ResourceID.
func OrderGID(orderID int64) string { return "gid://shopify/Order/" + strconv.FormatInt(orderID, 10) }

// findOrderWorkflows lists the runs about the orders, in batches small
// enough for one visibility query.
func findOrderWorkflows(ctx workflow.Context, cfg Config, shop string, orderIDs []int64) ([]activities.WorkflowRef, error) {
	const batch = 100
	var refs []activities.WorkflowRef
	for start := 0; start < len(orderIDs); start += batch {
		ids := orderIDs[start:min(start+batch, len(orderIDs))]
		var found []activities.WorkflowRef
		err := workflow.ExecuteActivity(WithActivity(ctx, cfg, fmt.Sprintf("Find the workflows of %d orders", len(ids))),
			ComplianceActivities.FindWorkflows, activities.FindWorkflowsInput{
				Query:             orderWorkflowsQuery(shop, ids),
				ResourceAttribute: ResourceIDKey.GetName(), FailureAttribute: FailureKindKey.GetName(),
			}).Get(ctx, &found)
		if err != nil {
			return nil, err
		}
		refs = append(refs, found...)
	}
	return refs, nil
}

// backfillsQuery finds the shop's running backfills.
func backfillsQuery(shop, backfillQueue string) string {
	return fmt.Sprintf("%s = %q AND TaskQueue = %q AND ExecutionStatus = \"Running\"", ShopDomainKey.GetName(), shop, backfillQueue)
}

// BackfillTaskQueue is the backfills' task queue (package backfill's
// TaskQueue, which imports this package), where compliance looks for a
// shop's backfills.
const BackfillTaskQueue = "shopflow-backfill"

// redactWait is how long customers/redact waits before looking again at
// order workflows still running: from 5 s, doubling, up to 5 minutes.
func redactWait(round int) time.Duration {
	return min(5*time.Second<<min(round, 6), 5*time.Minute)
}
