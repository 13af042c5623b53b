// Package webhook holds what shopflow knows about Shopify's webhook
// deliveries: the headers Shopify sends and the HMAC signature that proves a
// delivery came from Shopify.
package webhook
