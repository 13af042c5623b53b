package admin

import (
	"fmt"
	"slices"
	"strings"
)

// TopicOf returns the GraphQL enum value of a webhook topic written as in
// the X-Shopify-Topic header: "orders/create" is ORDERS_CREATE.
func TopicOf(header string) (WebhookSubscriptionTopic, error) {
	t := WebhookSubscriptionTopic(strings.ToUpper(strings.NewReplacer("/", "_", "-", "_").Replace(header)))
	if !slices.Contains(AllWebhookSubscriptionTopic, t) {
		return "", fmt.Errorf("shopify: %q is not a webhook topic of API %s", header, DefaultAPIVersion)
	}
	return t, nil
}
