package shopifysim

import (
	"encoding/base64"
	"encoding/json"
)

// connection is a resolved Relay connection page.
type connection struct {
	nodes       []any
	cursors     []string
	hasNext     bool
	hasPrevious bool
}

type edge struct {
	cursor string
	node   any
}

func (c *connection) field(name string) (any, error) {
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
		return obj("PageInfo", map[string]any{
			"hasNextPage": c.hasNext, "hasPreviousPage": c.hasPrevious,
			"startCursor": start, "endCursor": end,
		}), nil
	}
	return nil, errCode("NOT_IMPLEMENTED", "Field '%s' on connections is not implemented by the Shopify simulator", name)
}

// sortKey positions an item in a connection: by value, then by id, as
// Shopify's cursors do.
type sortKey struct {
	Value int64
	ID    int64
}

func (a sortKey) less(b sortKey) bool {
	if a.Value != b.Value {
		return a.Value < b.Value
	}
	return a.ID < b.ID
}

// cursorJSON is the payload of Shopify's opaque cursors.
type cursorJSON struct {
	LastID    int64 `json:"last_id"`
	LastValue int64 `json:"last_value"`
}

func encodeCursor(k sortKey) string {
	b, _ := json.Marshal(cursorJSON{LastID: k.ID, LastValue: k.Value})
	return base64.StdEncoding.EncodeToString(b)
}

func decodeCursor(s string) (sortKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return sortKey{}, err
	}
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil {
		return sortKey{}, err
	}
	return sortKey{Value: c.LastValue, ID: c.LastID}, nil
}

// maxPageSize is Shopify's largest first/last.
const maxPageSize = 250

// paginate pages items (already filtered and sorted ascending by key)
// with first/after/last/before/reverse. In bulk mode, without first or
// last, the whole list is one page.
func paginate[T any](ec *execCtx, items []T, key func(T) sortKey, args map[string]any) (*connection, error) {
	first, hasFirst := argInt(args, "first")
	last, hasLast := argInt(args, "last")
	if !hasFirst && !hasLast && !ec.bulk {
		return nil, errCode("", "you must provide one of first or last")
	}
	if (hasFirst && first < 0) || (hasLast && last < 0) {
		return nil, errCode("", "first and last must be non-negative")
	}
	if (hasFirst && first > maxPageSize) || (hasLast && last > maxPageSize) {
		return nil, errCode("", "The maximum page size is %d", maxPageSize)
	}
	reverse := argBool(args, "reverse")
	// Work on positions in presentation order.
	n := len(items)
	at := func(i int) T {
		if reverse {
			return items[n-1-i]
		}
		return items[i]
	}
	// before(a, b): a comes before b in presentation order.
	before := func(a, b sortKey) bool {
		if reverse {
			return b.less(a)
		}
		return a.less(b)
	}
	lo, hi := 0, n
	if s := argString(args, "after"); s != "" {
		k, err := decodeCursor(s)
		if err != nil {
			return nil, errCode("", "Invalid cursor for current pagination sort.")
		}
		for lo < hi && !before(k, key(at(lo))) {
			lo++
		}
	}
	if s := argString(args, "before"); s != "" {
		k, err := decodeCursor(s)
		if err != nil {
			return nil, errCode("", "Invalid cursor for current pagination sort.")
		}
		for hi > lo && !before(key(at(hi-1)), k) {
			hi--
		}
	}
	c := &connection{hasPrevious: lo > 0, hasNext: hi < n}
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

// byID is the sort key of resources listed by id.
func byID(id int64) sortKey { return sortKey{Value: id, ID: id} }
