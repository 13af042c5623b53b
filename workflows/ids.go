package workflows

// WebhookWorkflowID is the ID of the workflow that processes one webhook
// delivery. Shopify redelivers a webhook with the same X-Shopify-Webhook-Id,
// so every redelivery maps to the same workflow and starts nothing new.
func WebhookWorkflowID(shop, webhookID string) string {
	return "webhook/" + shop + "/" + webhookID
}

// TaskQueue is the task queue of shopflow's real-time work.
const TaskQueue = "shopflow"

// BackfillWorkflowID is the ID of one backfill of a kind on a shop; name
// tells the operator's backfills apart (the starter makes one from the
// start time unless given). The ID outlives continue-as-new, so status,
// pause and rollback address it without a run ID.
func BackfillWorkflowID(kind, shop, name string) string {
	return "backfill/" + kind + "/" + shop + "/" + name
}

// RollbackWorkflowID is the ID of the rollback of a backfill: one per
// backfill, so that starting it again finds the one already running.
func RollbackWorkflowID(backfillID string) string {
	return "rollback/" + backfillID
}

// ReconcileScheduleID is the ID of the Temporal Schedule that runs one
// reconciler for one shop; its runs get IDs starting with it.
func ReconcileScheduleID(reconciler, shop string) string {
	return "reconcile/" + reconciler + "/" + shop
}

// ReconcileRunNowID is the ID of a reconciliation run an operator starts
// outside its schedule.
func ReconcileRunNowID(reconciler, shop, name string) string {
	return ReconcileScheduleID(reconciler, shop) + "/manual-" + name
}

// BulkOperationWaitID is the ID of the workflow that waits for one bulk
// operation of a shop to finish: the bulk_operations/finish webhook
// signals it by this ID.
func BulkOperationWaitID(shop, bulkOperationID string) string {
	return "bulkwait/" + shop + "/" + bulkOperationID
}
