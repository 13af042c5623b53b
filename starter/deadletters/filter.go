package deadletters

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopflow/shopflow/workflows"
)

// Filter selects dead letters. Zero fields select everything.
type Filter struct {
	// Shop is the shop domain (ShopDomain search attribute).
	Shop string
	// Topic is the Shopify topic (WebhookTopic search attribute).
	Topic string
	// Kind is the failure kind (FailureKind search attribute), one of the
	// Failure* constants of package activities.
	Kind string
	// TaskQueue restricts the search to one task queue.
	TaskQueue string
	// Since and Until bound the time the run failed.
	Since, Until time.Time
}

// Query returns the visibility query of the failed runs the filter
// selects, or an error if a value cannot be written safely into one.
func (f Filter) Query() (string, error) {
	clauses := []string{`ExecutionStatus = "Failed"`}
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
