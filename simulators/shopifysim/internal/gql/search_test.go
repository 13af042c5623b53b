package gql

import (
	"testing"
	"time"
)

func TestSearch(t *testing.T) {
	updated := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	// A resource with a number, a timestamp, a text and a list field;
	// anything else is unknown to it.
	matcher := func(t SearchTerm) (bool, bool) {
		switch t.Field {
		case "":
			return MatchText(t, "Big Red Shirt"), true
		case "id":
			return CompareInt(t, 42), true
		case "updated_at":
			return CompareTime(t, updated), true
		case "title":
			return MatchText(t, "Big Red Shirt"), true
		case "tag":
			return MatchText(t, "sale") || MatchText(t, "summer"), true
		}
		return false, false
	}
	for q, want := range map[string]bool{
		"":                                   true,
		"id:42":                              true,
		"id:gid://shopify/Product/42":        true,
		"id:>41 id:<43":                      true,
		"id:>=43":                            false,
		"id:<=42":                            true,
		"id:forty-two":                       false,
		"updated_at:>=2026-11-02":            true,
		"updated_at:>2026-11-02T10:00:00Z":   false,
		"updated_at:<'2026-11-02 10:00:01'":  true,
		"updated_at:2026-11-02T10:00:00":     true,
		"updated_at:yesterday":               false,
		`title:"big red shirt"`:              true,
		"title:big*":                         true,
		"title:red*":                         false,
		"tag:SUMMER":                         true,
		"-tag:sale":                          false,
		"NOT tag:winter":                     true,
		"NOT -tag:sale":                      true,
		"tag:winter OR id:42":                true,
		"tag:winter OR id:41":                false,
		"tag:sale AND id:41":                 false,
		"(tag:winter OR tag:sale) AND id:42": true,
		"colour:blue":                        true, // unknown fields are ignored
		"colour:blue tag:winter":             false,
		"'big red shirt'":                    true,
		"shirt":                              false, // free text here matches the whole title
	} {
		if got := ParseSearch(q).Matches(matcher); got != want {
			t.Errorf("%q: match %v, want %v", q, got, want)
		}
	}
}
