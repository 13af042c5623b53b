package deadletters

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/workflows"
)

// Filter selects dead letters. Zero fields select everything.
type Filter struct {
	// Shop is the shop domain (ShopDomain search attribute).
	Shop string
	// Topic is the Shopify topic (WebhookTopic search attribute).
	Topic string
	// Kind is the failure kind (FailureKind search attribute), one of
	// activities.FailureKinds.
	Kind string
	// TaskQueue restricts the search to one task queue.
	TaskQueue string
	// Since and Until bound the time the run failed.
	Since, Until time.Time
}

// Query returns the visibility query of the failed runs the filter
// selects, or an error if a value cannot be written safely into one or the
// kind is not a failure kind. Only webhook workflow types are dead letters:
// a failed reconciler or backfill is reported by its own commands.
func (f Filter) Query() (string, error) {
	if f.Kind != "" {
		if err := activities.CheckFailureKind(f.Kind); err != nil {
			return "", err
		}
	}
	clauses := []string{`ExecutionStatus = "Failed"`, webhookTypesClause()}
	for _, c := range []struct{ attr, value string }{
		{workflows.ShopDomainKey.GetName(), f.Shop},
		{workflows.WebhookTopicKey.GetName(), f.Topic},
		{workflows.FailureKindKey.GetName(), f.Kind},
		{"TaskQueue", f.TaskQueue},
	} {
		if c.value == "" {
			continue
		}
		// Shop domains, topics and kinds never hold quotes or
		// backslashes; refusing them beats escaping them wrongly.
		if strings.ContainsAny(c.value, "\"'\\`") {
			return "", fmt.Errorf("%s %q: quotes and backslashes are not allowed", c.attr, c.value)
		}
		clauses = append(clauses, fmt.Sprintf("%s = %q", c.attr, c.value))
	}
	if !f.Since.IsZero() {
		clauses = append(clauses, fmt.Sprintf("CloseTime >= %q", f.Since.UTC().Format(time.RFC3339Nano)))
	}
	if !f.Until.IsZero() {
		clauses = append(clauses, fmt.Sprintf("CloseTime <= %q", f.Until.UTC().Format(time.RFC3339Nano)))
	}
	return strings.Join(clauses, " AND "), nil
}

// webhookTypesClause selects the workflow types webhooks start.
func webhookTypesClause() string {
	types := workflows.WebhookWorkflowTypes()
	quoted := make([]string, len(types))
	for i, t := range types {
		quoted[i] = strconv.Quote(t)
	}
	return "WorkflowType IN (" + strings.Join(quoted, ", ") + ")"
}

// isWebhookWorkflow reports whether workflowType is started by webhooks,
// hence can be a dead letter.
func isWebhookWorkflow(workflowType string) bool {
	return slices.Contains(workflows.WebhookWorkflowTypes(), workflowType)
}
