package webhook

// Headers Shopify sets on every webhook delivery.
const (
	HeaderTopic       = "X-Shopify-Topic"
	HeaderHMAC        = "X-Shopify-Hmac-Sha256"
	HeaderShopDomain  = "X-Shopify-Shop-Domain"
	HeaderAPIVersion  = "X-Shopify-API-Version"
	HeaderWebhookID   = "X-Shopify-Webhook-Id"
	HeaderEventID     = "X-Shopify-Event-Id"
	HeaderTriggeredAt = "X-Shopify-Triggered-At"
)
