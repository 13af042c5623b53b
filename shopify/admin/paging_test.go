package admin

import (
	"errors"
	"slices"
	"testing"
)

func TestEachPageFollowsCursors(t *testing.T) {
	pages := map[string]PageInfo{
		"":   {HasNextPage: true, EndCursor: "c1"},
		"c1": {HasNextPage: true, EndCursor: "c2"},
		"c2": {HasNextPage: false, EndCursor: "c3"},
		"x":  {HasNextPage: true}, // no cursor: stop rather than start over
	}
	for _, tc := range []struct {
		after string
		want  []string
	}{
		{"", []string{"", "c1", "c2"}},
		{"c1", []string{"c1", "c2"}},
		{"x", []string{"x"}},
	} {
		var got []string
		err := eachPage(tc.after, func(after string) (PageInfo, error) {
			got = append(got, after)
			return pages[after], nil
		})
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("from %q: read %q, %v; want %q", tc.after, got, err, tc.want)
		}
	}
	boom := errors.New("boom")
	var n int
	err := eachPage("", func(after string) (PageInfo, error) {
		n++
		return PageInfo{HasNextPage: true, EndCursor: "next"}, boom
	})
	if err != boom || n != 1 {
		t.Errorf("err %v after %d pages, want boom after 1", err, n)
	}
}
