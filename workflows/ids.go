package workflows

// WebhookWorkflowID is the ID of the workflow that processes one webhook
// delivery. Shopify redelivers a webhook with the same X-Shopify-Webhook-Id,
// so every redelivery maps to the same workflow and starts nothing new.
func WebhookWorkflowID(shop, webhookID string) string {
	return "webhook/" + shop + "/" + webhookID
}

// TaskQueue is the task queue of shopflow's real-time work.
const TaskQueue = "shopflow"
