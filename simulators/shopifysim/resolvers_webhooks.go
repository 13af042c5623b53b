package shopifysim

import (
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

func init() {
	register("QueryRoot", map[string]resolver{
		"webhookSubscriptions": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			topicsWanted := argStrings(args, "topics")
			uri := argString(args, "uri")
			if uri == "" {
				uri = argString(args, "callbackUrl")
			}
			var out []*subscription
			for _, s := range ec.sh.subs {
				if len(topicsWanted) > 0 && !slices.Contains(topicsWanted, s.Topic) {
					continue
				}
				if uri != "" && s.URI != uri {
					continue
				}
				if f := argString(args, "format"); f != "" && f != s.Format {
					continue
				}
				out = append(out, s)
			}
			key := func(s *subscription) sortKey { return sortKey{Value: s.CreatedAt.UnixNano(), ID: s.ID} }
			if argString(args, "sortKey") == "ID" {
				key = func(s *subscription) sortKey { return byID(s.ID) }
			}
			return paginate(ec, sortedBy(out, nil, nil, key, false), key, args)
		},
		"webhookSubscription": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := parseID(argString(args, "id"), "WebhookSubscription")
			for _, s := range ec.sh.subs {
				if s.ID == id {
					return s, nil
				}
			}
			return nil, nil
		},
	})

	register("WebhookSubscription", map[string]resolver{
		"id":                  field(func(s *subscription) any { return gid("WebhookSubscription", s.ID) }),
		"legacyResourceId":    field(func(s *subscription) any { return s.ID }),
		"topic":               field(func(s *subscription) any { return s.Topic }),
		"uri":                 field(func(s *subscription) any { return s.URI }),
		"format":              field(func(s *subscription) any { return s.Format }),
		"filter":              field(func(s *subscription) any { return nilIfEmpty(s.Filter) }),
		"includeFields":       field(func(s *subscription) any { return orEmpty(s.Include) }),
		"metafieldNamespaces": field(func(*subscription) any { return []string{} }),
		"metafields":          field(func(*subscription) any { return []any{} }),
		"name":                field(func(*subscription) any { return nil }),
		"createdAt":           field(func(s *subscription) any { return s.CreatedAt }),
		"updatedAt":           field(func(s *subscription) any { return s.UpdatedAt }),
		"apiVersion": field(func(*subscription) any {
			return obj("ApiVersion", map[string]any{"handle": webhookAPIVersion, "displayName": webhookAPIVersion, "supported": true})
		}),
	})

	register("Mutation", map[string]resolver{
		"webhookSubscriptionCreate": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			topic := argString(args, "topic")
			in := inputObject(args, "webhookSubscription")
			uri := argString(in, "uri")
			if uri == "" {
				uri = argString(in, "callbackUrl")
			}
			if _, ok := topicEnum(topic); !ok {
				return mutationPayload("webhookSubscription", nil, userErr("UserError", []any{"topic"}, "",
					"Topic "+topic+" is not emitted by the Shopify simulator")), nil
			}
			format := argString(in, "format")
			if format == "" {
				format = "JSON"
			}
			sub, err := ec.sh.subscribe(topic, uri, format, argString(in, "filter"), argStrings(in, "includeFields"))
			if err != nil {
				return mutationPayload("webhookSubscription", nil, userErr("UserError", []any{"webhookSubscription", "callbackUrl"}, "", err.Error())), nil
			}
			ec.applied = true
			return mutationPayload("webhookSubscription", sub), nil
		},
		"webhookSubscriptionDelete": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := parseID(argString(args, "id"), "WebhookSubscription")
			for i, s := range ec.sh.subs {
				if s.ID == id {
					ec.sh.subs = append(ec.sh.subs[:i], ec.sh.subs[i+1:]...)
					ec.applied = true
					return obj("", map[string]any{"deletedWebhookSubscriptionId": gid("WebhookSubscription", id), "userErrors": []*gobj{}}), nil
				}
			}
			return obj("", map[string]any{"deletedWebhookSubscriptionId": nil,
				"userErrors": []*gobj{userErr("UserError", []any{"id"}, "", "Webhook subscription does not exist")}}), nil
		},
	})
}
