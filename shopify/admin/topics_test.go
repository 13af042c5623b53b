package admin

import "testing"

func TestTopicOf(t *testing.T) {
	for header, want := range map[string]WebhookSubscriptionTopic{
		"orders/create":           WebhookSubscriptionTopicOrdersCreate,
		"inventory_levels/update": "INVENTORY_LEVELS_UPDATE",
		"app/uninstalled":         "APP_UNINSTALLED",
	} {
		got, err := TopicOf(header)
		if err != nil || got != want {
			t.Errorf("TopicOf(%q) = %q, %v; want %q", header, got, err, want)
		}
	}
	if _, err := TopicOf("orders/teleported"); err == nil {
		t.Error("TopicOf accepted a topic Shopify does not have")
	}
}
