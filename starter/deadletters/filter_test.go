package deadletters

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/workflows"
)

func TestFilterQuery(t *testing.T) {
	since := time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	// Every routed workflow type can be a dead letter.
	var quoted []string
	for _, name := range workflows.WebhookWorkflowTypes() {
		quoted = append(quoted, fmt.Sprintf("%q", name))
	}
	types := `WorkflowType IN (` + strings.Join(quoted, ", ") + `)`
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{}, `ExecutionStatus = "Failed" AND ` + types},
		{
			Filter{Shop: "a.myshopify.com", Topic: "orders/create", Kind: "ProductNotFound", TaskQueue: "shopflow", Since: since, Until: since.Add(time.Hour)},
			`ExecutionStatus = "Failed" AND ` + types + ` AND ShopDomain = "a.myshopify.com" AND WebhookTopic = "orders/create" AND FailureKind = "ProductNotFound" AND TaskQueue = "shopflow" AND CloseTime >= "2026-05-01T10:00:00Z" AND CloseTime <= "2026-05-01T11:00:00Z"`,
		},
	} {
		got, err := tc.f.Query()
		if err != nil || got != tc.want {
			t.Errorf("%+v.Query() = %q, %v; want %q", tc.f, got, err, tc.want)
		}
	}
	for _, bad := range []string{`a" OR ExecutionStatus != "x`, `a'b`, `a\b`, "a`b"} {
		if q, err := (Filter{Shop: bad}).Query(); err == nil {
			t.Errorf("shop %q gave query %q, want an error", bad, q)
		}
	}
	for _, kind := range activities.FailureKindNames() {
		if _, err := (Filter{Kind: kind}).Query(); err != nil {
			t.Errorf("kind %s: %v", kind, err)
		}
	}
	if q, err := (Filter{Kind: "Transient"}).Query(); err == nil || !strings.Contains(err.Error(), "ProductNotFound") {
		t.Errorf("kind Transient gave query %q, %v; want an error naming the kinds", q, err)
	}
}

func TestCountByShopAndKind(t *testing.T) {
	got := countByShopAndKind([]DeadLetter{
		{Shop: "b", Kind: "InvalidPayload"}, {Shop: "a", Kind: "ProductNotFound"},
		{Shop: "b", Kind: "InvalidPayload"}, {Shop: "a", Kind: "InvalidPayload"},
	})
	want := "[{a InvalidPayload 1} {a ProductNotFound 1} {b InvalidPayload 2}]"
	if fmt.Sprint(got) != want {
		t.Errorf("countByShopAndKind = %v, want %s", got, want)
	}
}
