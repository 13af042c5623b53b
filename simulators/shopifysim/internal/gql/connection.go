package gql

import (
	"encoding/base64"
	"encoding/json"
	"slices"
)

// Connection is a resolved Relay connection page; the engine resolves its
// edges, nodes and pageInfo.
type Connection struct {
	nodes       []any
	cursors     []string
	hasNext     bool
	hasPrevious bool
}

type edge struct {
	cursor string
	node   any
}

func (c *Connection) field(name string) (any, error) {
	switch name {
	case "nodes":
		return c.nodes, nil
	case "edges":
		out := make([]*edge, len(c.nodes))
		for i, n := range c.nodes {
			out[i] = &edge{cursor: c.cursors[i], node: n}
		}
		return out, nil
	case "pageInfo":
		var start, end any
		if len(c.cursors) > 0 {
			start, end = c.cursors[0], c.cursors[len(c.cursors)-1]
		}
		return Obj("PageInfo", map[string]any{
			"hasNextPage": c.hasNext, "hasPreviousPage": c.hasPrevious,
			"startCursor": start, "endCursor": end,
		}), nil
	}
	return nil, Errorf("NOT_IMPLEMENTED", "Field '%s' on connections is not implemented by the Shopify simulator", name)
}

// SortKey positions an item in a connection: by value, then by id, as
// Shopify's cursors do.
type SortKey struct {
	Value int64
	ID    int64
}

// Less orders keys by value, then id.
func (a SortKey) Less(b SortKey) bool {
	if a.Value != b.Value {
		return a.Value < b.Value
	}
	return a.ID < b.ID
}

// ByID is the sort key of resources listed by id.
func ByID(id int64) SortKey { return SortKey{Value: id, ID: id} }

// cursorJSON is the payload of Shopify's opaque cursors.
type cursorJSON struct {
	LastID    int64 `json:"last_id"`
	LastValue int64 `json:"last_value"`
}

func encodeCursor(k SortKey) string {
	b, _ := json.Marshal(cursorJSON{LastID: k.ID, LastValue: k.Value})
	return base64.StdEncoding.EncodeToString(b)
}

func decodeCursor(s string) (SortKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return SortKey{}, err
	}
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil {
		return SortKey{}, err
	}
	return SortKey{Value: c.LastValue, ID: c.LastID}, nil
}

// maxPageSize is Shopify's largest first/last.
const maxPageSize = 250

// Paginate pages items (already filtered and sorted ascending by key)
// with the first/after/last/before/reverse arguments in args. When x is
// Unpaged and neither first nor last is given, the whole list is one page.
func Paginate[T any](x *Exec, items []T, key func(T) SortKey, args map[string]any) (*Connection, error) {
	first, hasFirst := ArgInt(args, "first")
	last, hasLast := ArgInt(args, "last")
	if !hasFirst && !hasLast && !x.Unpaged {
		return nil, Errorf("", "you must provide one of first or last")
	}
	if (hasFirst && first < 0) || (hasLast && last < 0) {
		return nil, Errorf("", "first and last must be non-negative")
	}
	if (hasFirst && first > maxPageSize) || (hasLast && last > maxPageSize) {
		return nil, Errorf("", "The maximum page size is %d", maxPageSize)
	}
	reverse := ArgBool(args, "reverse")
	// Work on positions in presentation order.
	n := len(items)
	at := func(i int) T {
		if reverse {
			return items[n-1-i]
		}
		return items[i]
	}
	// before(a, b): a comes before b in presentation order.
	before := func(a, b SortKey) bool {
		if reverse {
			return b.Less(a)
		}
		return a.Less(b)
	}
	lo, hi := 0, n
	if s := ArgString(args, "after"); s != "" {
		k, err := decodeCursor(s)
		if err != nil {
			return nil, Errorf("", "Invalid cursor for current pagination sort.")
		}
		for lo < hi && !before(k, key(at(lo))) {
			lo++
		}
	}
	if s := ArgString(args, "before"); s != "" {
		k, err := decodeCursor(s)
		if err != nil {
			return nil, Errorf("", "Invalid cursor for current pagination sort.")
		}
		for hi > lo && !before(key(at(hi-1)), k) {
			hi--
		}
	}
	c := &Connection{hasPrevious: lo > 0, hasNext: hi < n}
	if hasFirst && hi-lo > first {
		hi = lo + first
		c.hasNext = true
	}
	if hasLast && hi-lo > last {
		lo = hi - last
		c.hasPrevious = true
	}
	c.nodes = make([]any, 0, hi-lo)
	c.cursors = make([]string, 0, hi-lo)
	for i := lo; i < hi; i++ {
		it := at(i)
		c.nodes = append(c.nodes, it)
		c.cursors = append(c.cursors, encodeCursor(key(it)))
	}
	return c, nil
}

// SortedBy filters items by q, asking m for a matcher per item (a nil m or
// an empty q keeps every item), and orders them by key unless they are
// presorted.
func SortedBy[T any](items []T, q SearchQuery, m func(T) TermMatcher, key func(T) SortKey, presorted bool) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		if m == nil || len(q) == 0 || q.Matches(m(it)) {
			out = append(out, it)
		}
	}
	if !presorted {
		slices.SortStableFunc(out, func(a, b T) int {
			ka, kb := key(a), key(b)
			switch {
			case ka.Less(kb):
				return -1
			case kb.Less(ka):
				return 1
			}
			return 0
		})
	}
	return out
}
