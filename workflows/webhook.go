package workflows

import "encoding/json"

// Webhook is one verified Shopify webhook delivery: the input of every
// webhook workflow. The ingress passes the body on untouched so that a dead
// letter keeps exactly what Shopify sent.
type Webhook struct {
	Shop        string
	Topic       string
	ID          string // X-Shopify-Webhook-Id, also the correlation ID
	EventID     string
	APIVersion  string
	TriggeredAt string
	// Payload is the body when it is valid JSON, kept as JSON so that the
	// Web UI shows it readably.
	Payload json.RawMessage `json:",omitempty"`
	// InvalidBody is the body when it is not valid JSON; the workflow fails
	// with InvalidPayload and keeps it for inspection.
	InvalidBody []byte `json:",omitempty"`
}
