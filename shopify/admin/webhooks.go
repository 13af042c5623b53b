package admin

import (
	"context"

	"github.com/Khan/genqlient/graphql"
)

// EachWebhookSubscription calls fn with every subscription of the shop
// (of the given topics only, if any).
func EachWebhookSubscription(ctx context.Context, c graphql.Client, topics []WebhookSubscriptionTopic, fn func(WebhookSubscriptionFields) error) error {
	return eachPage("", func(after string) (PageInfo, error) {
		resp, err := WebhookSubscriptions(ctx, c, 100, after, topics)
		if err != nil {
			return PageInfo{}, err
		}
		p := resp.WebhookSubscriptions
		for _, s := range p.Nodes {
			if err := fn(s.WebhookSubscriptionFields); err != nil {
				return PageInfo{}, err
			}
		}
		return p.PageInfo, nil
	})
}
