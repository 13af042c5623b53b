package shopifysim

import (
	"net"
	"net/url"
	"slices"
	"strings"

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
		"webhookSubscriptionsCount": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			return countObj(len(ec.sh.subs)), nil
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
		"callbackUrl":         field(func(s *subscription) any { return s.URI }),
		"endpoint":            field(func(s *subscription) any { return endpointObject(s.URI) }),
		"format":              field(func(s *subscription) any { return s.Format }),
		"filter":              field(func(s *subscription) any { return nilIfEmpty(s.Filter) }),
		"includeFields":       field(func(s *subscription) any { return orEmpty(s.Include) }),
		"metafieldNamespaces": field(func(s *subscription) any { return orEmpty(s.MetafieldNamespaces) }),
		"metafields": field(func(s *subscription) any {
			out := make([]any, 0, len(s.Metafields))
			for _, m := range s.Metafields {
				out = append(out, gql.Obj("WebhookSubscriptionMetafieldIdentifier", map[string]any{"namespace": m[0], "key": m[1]}))
			}
			return out
		}),
		"name":      field(func(s *subscription) any { return nilIfEmpty(s.Name) }),
		"createdAt": field(func(s *subscription) any { return s.CreatedAt }),
		"updatedAt": field(func(s *subscription) any { return s.UpdatedAt }),
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
			if msg := endpointProblem(uri, ec.sh.sim.cfg.AllowLoopbackWebhooks); msg != "" {
				return mutationPayload("webhookSubscription", nil, userErr("UserError", []any{"webhookSubscription", "callbackUrl"}, "", msg)), nil
			}
			format := gql.ArgString(in, "format")
			if format == "" {
				format = "JSON"
			}
			sub, err := ec.sh.subscribe(topic, uri, format, gql.ArgString(in, "filter"), gql.ArgStrings(in, "includeFields"))
			if err != nil {
				return mutationPayload("webhookSubscription", nil, userErr("UserError", []any{"webhookSubscription", "callbackUrl"}, "", err.Error())), nil
			}
			sub.Name = gql.ArgString(in, "name")
			sub.MetafieldNamespaces = gql.ArgStrings(in, "metafieldNamespaces")
			for _, m := range gql.ArgObjects(in, "metafields") {
				ns := gql.ArgString(m, "namespace")
				if ns == "" {
					ns = defaultMetafieldNamespace
				}
				sub.Metafields = append(sub.Metafields, [2]string{ns, gql.ArgString(m, "key")})
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

// callbackURLProblem says why Shopify refuses uri as a webhook callback
// URL, or "" when it accepts it: only https, never a loopback or
// internal address, never a Shopify domain. allowLoopback accepts plain
// http on loopback hosts, for receivers in the dev stack and tests.
func callbackURLProblem(uri string, allowLoopback bool) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "Address is invalid"
	}
	host := strings.ToLower(u.Hostname())
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost")
	if ip := net.ParseIP(host); ip != nil {
		loopback = ip.IsLoopback()
		if !loopback && (ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast()) {
			return "Address cannot be an internal address"
		}
	}
	switch {
	case loopback && allowLoopback:
		return ""
	case loopback:
		return "Address cannot be a local address"
	case host == "myshopify.com" || strings.HasSuffix(host, ".myshopify.com") ||
		host == "shopify.com" || strings.HasSuffix(host, ".shopify.com"):
		return "Address cannot be a Shopify or an internal domain"
	case u.Scheme != "https":
		return "Address protocol http:// is not supported"
	}
	return ""
}
