package gql

import (
	"fmt"
	"slices"
	"testing"
)

func TestPaginate(t *testing.T) {
	items := []int64{1, 2, 3, 4, 5}
	cursor := func(id int64) string { return encodeCursor(ByID(id)) }
	for _, c := range []struct {
		args      map[string]any
		unpaged   bool
		want      string // node ids, then next/previous
		wantError string
	}{
		{args: map[string]any{"first": int64(2)}, want: "[1 2] next"},
		{args: map[string]any{"first": 2, "after": cursor(2)}, want: "[3 4] next previous"},
		{args: map[string]any{"first": 9, "after": cursor(4)}, want: "[5] previous"},
		{args: map[string]any{"last": 2.0}, want: "[4 5] previous"},
		{args: map[string]any{"last": 2, "before": cursor(4)}, want: "[2 3] next previous"},
		{args: map[string]any{"first": 2, "reverse": true}, want: "[5 4] next"},
		{args: map[string]any{"first": 2, "reverse": true, "after": cursor(4)}, want: "[3 2] next previous"},
		{args: map[string]any{"first": 0}, want: "[] next"},
		{args: map[string]any{}, unpaged: true, want: "[1 2 3 4 5]"},
		{args: map[string]any{}, wantError: "you must provide one of first or last"},
		{args: map[string]any{"first": -1}, wantError: "first and last must be non-negative"},
		{args: map[string]any{"last": 251}, wantError: "The maximum page size is 250"},
		{args: map[string]any{"first": 1, "after": "!"}, wantError: "Invalid cursor for current pagination sort."},
	} {
		conn, err := Paginate(&Exec{Unpaged: c.unpaged}, items, ByID, c.args)
		if c.wantError != "" {
			if err == nil || err.Error() != c.wantError {
				t.Errorf("%v: error %v, want %q", c.args, err, c.wantError)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		got := fmt.Sprint(conn.nodes)
		if conn.hasNext {
			got += " next"
		}
		if conn.hasPrevious {
			got += " previous"
		}
		if got != c.want {
			t.Errorf("%v: got %s, want %s", c.args, got, c.want)
		}
		for i, n := range conn.nodes {
			if k, err := decodeCursor(conn.cursors[i]); err != nil || k != ByID(n.(int64)) {
				t.Errorf("%v: cursor %d decodes to %v, %v", c.args, i, k, err)
			}
		}
	}
}

func TestSortedBy(t *testing.T) {
	type item struct{ id, rank int64 }
	items := []item{{1, 30}, {2, 10}, {3, 10}, {4, 20}}
	byRank := func(it item) SortKey { return SortKey{Value: it.rank, ID: it.id} }
	notFour := func(it item) TermMatcher {
		return func(t SearchTerm) (bool, bool) { return CompareInt(t, it.id), t.Field == "id" }
	}
	ids := func(list []item) []int64 {
		var out []int64
		for _, it := range list {
			out = append(out, it.id)
		}
		return out
	}
	if got := ids(SortedBy(items, nil, nil, byRank, false)); !slices.Equal(got, []int64{2, 3, 4, 1}) {
		t.Errorf("by rank: %v", got)
	}
	if got := ids(SortedBy(items, ParseSearch("-id:4"), notFour, byRank, true)); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("presorted, filtered: %v", got)
	}
}
