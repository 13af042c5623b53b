package shopifysim

import (
	"slices"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

func init() {
	register("QueryRoot", map[string]resolver{
		"webhookSubscriptions": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			topicsWanted := gql.ArgStrings(args, "topics")
			uri := gql.ArgString(args, "uri")
			if uri == "" {
				uri = gql.ArgString(args, "callbackUrl")
			}
			var out []*subscription
			for _, s := range ec.sh.subs {
				if len(topicsWanted) > 0 && !slices.Contains(topicsWanted, s.Topic) {
					continue
				}
				if uri != "" && s.URI != uri {
					continue
				}
				if f := gql.ArgString(args, "format"); f != "" && f != s.Format {
					continue
				}
				out = append(out, s)
			}
			key := func(s *subscription) gql.SortKey { return gql.SortKey{Value: s.CreatedAt.UnixNano(), ID: s.ID} }
			if gql.ArgString(args, "sortKey") == "ID" {
				key = func(s *subscription) gql.SortKey { return gql.ByID(s.ID) }
			}
			return gql.Paginate(ec.Exec, gql.SortedBy(out, nil, nil, key, false), key, args)
		},
		"webhookSubscription": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "WebhookSubscription")
			for _, s := range ec.sh.subs {
				if s.ID == id {
					return s, nil
				}
			}
			return nil, nil
		},
	})

	register("WebhookSubscription", map[string]resolver{
		"id":                  field(func(s *subscription) any { return gql.GID("WebhookSubscription", s.ID) }),
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
			return gql.Obj("ApiVersion", map[string]any{"handle": webhookAPIVersion, "displayName": webhookAPIVersion, "supported": true})
		}),
	})

	register("Mutation", map[string]resolver{
		"webhookSubscriptionCreate": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			topic := gql.ArgString(args, "topic")
			in := gql.ArgObject(args, "webhookSubscription")
			uri := gql.ArgString(in, "uri")
			if uri == "" {
				uri = gql.ArgString(in, "callbackUrl")
			}
			if _, ok := topicEnum(topic); !ok {
				return mutationPayload("webhookSubscription", nil, userErr("UserError", []any{"topic"}, "",
					"Topic "+topic+" is not emitted by the Shopify simulator")), nil
			}
			format := gql.ArgString(in, "format")
			if format == "" {
				format = "JSON"
			}
			sub, err := ec.sh.subscribe(topic, uri, format, gql.ArgString(in, "filter"), gql.ArgStrings(in, "includeFields"))
			if err != nil {
				return mutationPayload("webhookSubscription", nil, userErr("UserError", []any{"webhookSubscription", "callbackUrl"}, "", err.Error())), nil
			}
			ec.applied = true
			return mutationPayload("webhookSubscription", sub), nil
		},
		"webhookSubscriptionDelete": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "WebhookSubscription")
			for i, s := range ec.sh.subs {
				if s.ID == id {
					ec.sh.subs = append(ec.sh.subs[:i], ec.sh.subs[i+1:]...)
					ec.applied = true
					return gql.Obj("", map[string]any{"deletedWebhookSubscriptionId": gql.GID("WebhookSubscription", id), "userErrors": []*gql.Object{}}), nil
				}
			}
			return gql.Obj("", map[string]any{"deletedWebhookSubscriptionId": nil,
				"userErrors": []*gql.Object{userErr("UserError", []any{"id"}, "", "Webhook subscription does not exist")}}), nil
		},
	})
}
