package shopifysim

import (
	"regexp"
	"strings"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// A webhook subscription's uri names one of three kinds of endpoint, as
// WebhookSubscriptionInput.uri documents: an HTTPS URL, a Google Cloud
// Pub/Sub topic (pubsub://{project-id}:{topic-id}) or an Amazon
// EventBridge partner event source ARN. The simulator delivers only to
// HTTP endpoints; the other two are accepted and stored, as Shopify
// stores them, but there is no cloud to publish to.

// pubSubURIRE is a Pub/Sub uri: Google's project id rules (6–30
// lower-case letters, digits and hyphens, starting with a letter) and
// topic id rules (3–255 characters, starting with a letter).
var pubSubURIRE = regexp.MustCompile(`^pubsub://([a-z][a-z0-9-]{4,28}[a-z0-9]):([A-Za-z][A-Za-z0-9._~%+-]{2,254})$`)

// eventBridgeARNRE is an EventBridge partner event source for Shopify:
// arn:aws:events:{region}::event-source/aws.partner/shopify.com/{app id}/{name}.
var eventBridgeARNRE = regexp.MustCompile(`^arn:aws:events:[a-z0-9-]+::event-source/aws\.partner/shopify\.com(\.test)?/[0-9]+/[A-Za-z0-9._/-]+$`)

// isHTTPEndpoint reports whether uri is delivered to by HTTP POST.
func isHTTPEndpoint(uri string) bool {
	return strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://")
}

// endpointProblem says why Shopify refuses uri as a subscription's
// endpoint, or "" when it accepts it.
func endpointProblem(uri string, allowLoopback bool) string {
	switch {
	case strings.HasPrefix(uri, "pubsub://"):
		if !pubSubURIRE.MatchString(uri) {
			return "Address is invalid"
		}
		return ""
	case strings.HasPrefix(uri, "arn:"):
		if !eventBridgeARNRE.MatchString(uri) {
			return "Address is invalid"
		}
		return ""
	}
	return callbackURLProblem(uri, allowLoopback)
}

// endpointObject is WebhookSubscription.endpoint: the union member for
// the uri's kind.
func endpointObject(uri string) *gql.Object {
	if m := pubSubURIRE.FindStringSubmatch(uri); m != nil {
		return gql.Obj("WebhookPubSubEndpoint", map[string]any{"pubSubProject": m[1], "pubSubTopic": m[2]})
	}
	if eventBridgeARNRE.MatchString(uri) {
		return gql.Obj("WebhookEventBridgeEndpoint", map[string]any{"arn": uri})
	}
	return gql.Obj("WebhookHttpEndpoint", map[string]any{"callbackUrl": uri})
}
