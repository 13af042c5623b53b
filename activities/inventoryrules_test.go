package activities

import (
	"testing"
	"time"
)

func TestToleranceWithin(t *testing.T) {
	for _, tc := range []struct {
		tol          Tolerance
		truth, other int
		want         bool
	}{
		{Tolerance{}, 10, 10, true},
		{Tolerance{}, 10, 9, false},
		{Tolerance{Absolute: 1}, 10, 9, true},
		{Tolerance{Absolute: 1}, 10, 12, false},
		{Tolerance{Percent: 10}, 100, 90, true},
		{Tolerance{Percent: 10}, 100, 89, false},
		{Tolerance{Percent: 10}, 0, 1, false},
		{Tolerance{Absolute: 2, Percent: 1}, 1000, 990, true},
	} {
		if got := tc.tol.Within(tc.truth, tc.other); got != tc.want {
			t.Errorf("%+v.Within(%d, %d) = %v, want %v", tc.tol, tc.truth, tc.other, got, tc.want)
		}
	}
}

func TestGraceWindow(t *testing.T) {
	asOf := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	r := InventoryRules{GraceWindow: 10 * time.Minute}
	if !r.recent(asOf.Add(-9*time.Minute), asOf) || r.recent(asOf.Add(-11*time.Minute), asOf) || r.recent(time.Time{}, asOf) {
		t.Error("the grace window defers changes of the last 10 minutes only")
	}
}

func TestParseLocationMap(t *testing.T) {
	m, err := ParseLocationMap("A.myshopify.com=123:WH-A, 456:WH-B;b.myshopify.com=9:MAIN")
	if err != nil {
		t.Fatal(err)
	}
	if wh, ok := m.ERPLocation("a.myshopify.com", 456); !ok || wh != "WH-B" {
		t.Errorf("a/456 = %q, %v; want WH-B", wh, ok)
	}
	if _, ok := m.ERPLocation("a.myshopify.com", 789); ok {
		t.Error("an unlisted location of a mapped shop is synced")
	}
	if wh, ok := m.ERPLocation("c.myshopify.com", 789); !ok || wh != "789" {
		t.Errorf("an unmapped shop's location = %q, %v; want its ID", wh, ok)
	}
	for _, bad := range []string{"a.myshopify.com=WH-A", "a.myshopify.com=x:WH", "a.myshopify.com=1:"} {
		if _, err := ParseLocationMap(bad); err == nil {
			t.Errorf("ParseLocationMap(%q) accepted", bad)
		}
	}
}

func TestDecisionKey(t *testing.T) {
	if got := decisionKey("inventory-correction:run:item:loc", 8, 10); got != "inventory-correction:run:item:loc:8->10" {
		t.Errorf("decisionKey = %q", got)
	}
}
