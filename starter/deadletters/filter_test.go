package deadletters

import (
	"fmt"
	"testing"
	"time"
)

func TestFilterQuery(t *testing.T) {
	since := time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{}, `ExecutionStatus = "Failed"`},
		{
			Filter{Shop: "a.myshopify.com", Topic: "orders/create", Kind: "ProductNotFound", TaskQueue: "shopflow", Since: since, Until: since.Add(time.Hour)},
			`ExecutionStatus = "Failed" AND ShopDomain = "a.myshopify.com" AND WebhookTopic = "orders/create" AND FailureKind = "ProductNotFound" AND TaskQueue = "shopflow" AND CloseTime >= "2026-05-01T10:00:00Z" AND CloseTime <= "2026-05-01T11:00:00Z"`,
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
