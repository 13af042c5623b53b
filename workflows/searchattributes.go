package workflows

import "go.temporal.io/sdk/temporal"

// Custom search attributes let operators find workflows by business terms in
// the Web UI and the CLI, for example
// ExecutionStatus="Failed" AND FailureKind="ProductNotFound".
var (
	// ShopDomainKey is the shop a workflow works for.
	ShopDomainKey = temporal.NewSearchAttributeKeyKeyword("ShopDomain")
	// WebhookTopicKey is the Shopify topic that started a workflow.
	WebhookTopicKey = temporal.NewSearchAttributeKeyKeyword("WebhookTopic")
	// ResourceIDKey is the GID of the resource a workflow is about.
	ResourceIDKey = temporal.NewSearchAttributeKeyKeyword("ResourceID")
	// FailureKindKey is set just before a workflow fails; see the Failure*
	// constants of package activities.
	FailureKindKey = temporal.NewSearchAttributeKeyKeyword("FailureKind")
)

// SearchAttributeKeys lists the custom search attributes a namespace must
// have registered before shopflow's workflows run.
func SearchAttributeKeys() []temporal.SearchAttributeKey {
	return []temporal.SearchAttributeKey{ShopDomainKey, WebhookTopicKey, ResourceIDKey, FailureKindKey}
}
