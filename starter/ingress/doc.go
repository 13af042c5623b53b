// Package ingress is shopflow's webhook endpoint. It verifies that a delivery
// comes from Shopify, then starts the topic's workflow under an ID derived
// from the webhook's ID, and answers 200 only once Temporal has durably
// accepted the start, so that Shopify retries everything that was not.
package ingress
