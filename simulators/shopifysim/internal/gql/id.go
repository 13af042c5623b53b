package gql

import (
	"fmt"
	"strconv"
	"strings"
)

// Shopify's global ids ("gid://shopify/Product/1") are the API's ID
// format: arguments and search terms carry them, resolvers hand them out.

// GID formats a Shopify global id.
func GID(typ string, id int64) string { return fmt.Sprintf("gid://shopify/%s/%d", typ, id) }

// ParseID accepts a global id of type typ (any type when typ is empty) or
// a bare number, and reports whether it is a positive id.
func ParseID(s, typ string) (int64, bool) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "gid://shopify/"); ok {
		t, num, ok := strings.Cut(rest, "/")
		if !ok || (typ != "" && t != typ) {
			return 0, false
		}
		num, _, _ = strings.Cut(num, "?")
		s = num
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// ValidGID reports whether s is a well-formed Shopify global id,
// gid://shopify/Type/id with an optional query string, as Shopify checks
// ID variables before running an operation.
func ValidGID(s string) bool {
	rest, ok := strings.CutPrefix(s, "gid://shopify/")
	if !ok {
		return false
	}
	typ, id, ok := strings.Cut(rest, "/")
	if !ok || typ == "" || id == "" {
		return false
	}
	id, _, _ = strings.Cut(id, "?")
	return id != "" && !strings.Contains(id, "/")
}
