package webhook

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

// UserAgent is the User-Agent Shopify's webhook sender identifies itself
// with.
const UserAgent = "Shopify-Captain-Hook"

// Delivery is one webhook delivery as Shopify sends it: the body and what
// the headers say about it. A field left empty (or zero) is not sent, so
// that a test can build a delivery that lacks a header.
type Delivery struct {
	Topic       string    // X-Shopify-Topic, e.g. "orders/create"
	Shop        string    // X-Shopify-Shop-Domain, e.g. "x.myshopify.com"
	APIVersion  string    // X-Shopify-API-Version, e.g. admin.DefaultAPIVersion
	WebhookID   string    // X-Shopify-Webhook-Id; the same for every retry of a delivery
	EventID     string    // X-Shopify-Event-Id; the same for every delivery of one event
	TriggeredAt time.Time // X-Shopify-Triggered-At: when the event happened
	Body        []byte    // the JSON payload, signed byte for byte
}

// NewRequest builds the POST of d to url as Shopify sends it: JSON, with
// Shopify's User-Agent, every X-Shopify-* header d fills in, and
// X-Shopify-Hmac-Sha256 signed with secret. The simulator, the sample sender
// and the tests all build deliveries here, so that they cannot drift apart
// from each other or from what the ingress reads.
func NewRequest(ctx context.Context, url string, secret []byte, d Delivery) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	for name, value := range map[string]string{
		HeaderTopic:      d.Topic,
		HeaderShopDomain: d.Shop,
		HeaderAPIVersion: d.APIVersion,
		HeaderWebhookID:  d.WebhookID,
		HeaderEventID:    d.EventID,
	} {
		if value != "" {
			req.Header.Set(name, value)
		}
	}
	if !d.TriggeredAt.IsZero() {
		// Shopify sends UTC with nanoseconds, e.g. 2026-01-02T03:04:05.123456789Z.
		req.Header.Set(HeaderTriggeredAt, d.TriggeredAt.UTC().Format(time.RFC3339Nano))
	}
	req.Header.Set(HeaderHMAC, Sign(secret, d.Body))
	return req, nil
}
