package gql

import (
	"strconv"
	"strings"
	"time"
)

// SearchQuery is a parsed Shopify search query ("query:" argument): a
// disjunction (OR) of conjunctions of terms. Supported syntax: field:value,
// field:>value, >=, <, <=, quoted values, -field:value and NOT for negation,
// AND (implicit between terms) and OR; a term without a field is free text.
// Which fields exist is up to the resource: see TermMatcher.
type SearchQuery [][]SearchTerm

// SearchTerm is one condition of a SearchQuery.
type SearchTerm struct {
	Field  string // lower case; "" for free text
	Value  string // unquoted
	op     string // ":", ">", ">=", "<", "<="
	negate bool
	// Parsed forms of Value, computed once per query rather than once
	// per resource compared.
	when   time.Time
	whenOK bool
	num    int64
	numOK  bool
}

// ParseSearch parses q; an empty q matches everything.
func ParseSearch(q string) SearchQuery {
	var out SearchQuery
	var cur []SearchTerm
	negateNext := false
	for _, tok := range tokenizeSearch(q) {
		switch tok {
		case "AND":
			continue
		case "OR":
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		case "NOT":
			negateNext = true
			continue
		}
		t := SearchTerm{op: ":", negate: negateNext}
		negateNext = false
		if strings.HasPrefix(tok, "-") && len(tok) > 1 {
			t.negate, tok = !t.negate, tok[1:]
		}
		if f, v, ok := strings.Cut(tok, ":"); ok && f != "" && !strings.HasPrefix(f, "\"") {
			t.Field = strings.ToLower(f)
			for _, op := range []string{">=", "<=", ">", "<"} {
				if rest, ok := strings.CutPrefix(v, op); ok {
					t.op, v = op, rest
					break
				}
			}
			t.Value = unquote(v)
		} else {
			t.Value = unquote(tok)
		}
		t.when, t.whenOK = parseSearchTime(t.Value)
		if n, err := strconv.ParseInt(t.Value, 10, 64); err == nil {
			t.num, t.numOK = n, true
		} else if id, ok := ParseID(t.Value, ""); ok {
			t.num, t.numOK = id, true
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// tokenizeSearch splits on spaces outside quotes.
func tokenizeSearch(q string) []string {
	var out []string
	var b strings.Builder
	var quote rune
	for _, r := range q {
		switch {
		case quote != 0:
			b.WriteRune(r)
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
			b.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n':
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		case r == '(' || r == ')':
			// Grouping is flattened; precedence AND over OR still holds
			// for the queries integrations send.
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// TermMatcher evaluates one term against a resource; known is false for
// fields the resource does not support, which Shopify ignores.
type TermMatcher func(t SearchTerm) (match, known bool)

// Matches reports whether the resource m describes satisfies q.
func (q SearchQuery) Matches(m TermMatcher) bool {
	if len(q) == 0 {
		return true
	}
	for _, conj := range q {
		ok := true
		for _, t := range conj {
			match, known := m(t)
			if !known {
				continue
			}
			if match == t.negate {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// CompareTime applies a term's operator to a timestamp.
func CompareTime(t SearchTerm, v time.Time) bool {
	ref := t.when
	if !t.whenOK {
		return false
	}
	switch t.op {
	case ">":
		return v.After(ref)
	case ">=":
		return !v.Before(ref)
	case "<":
		return v.Before(ref)
	case "<=":
		return !v.After(ref)
	}
	return v.Equal(ref)
}

func parseSearchTime(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// CompareInt applies a term's operator to a number; the term's value may
// be a number or a global id.
func CompareInt(t SearchTerm, v int64) bool {
	n := t.num
	if !t.numOK {
		return false
	}
	switch t.op {
	case ">":
		return v > n
	case ">=":
		return v >= n
	case "<":
		return v < n
	case "<=":
		return v <= n
	}
	return v == n
}

// MatchText matches a string value: exact (case-insensitive) or prefix with
// a trailing *.
func MatchText(t SearchTerm, v string) bool {
	want := strings.ToLower(t.Value)
	got := strings.ToLower(v)
	if p, ok := strings.CutSuffix(want, "*"); ok {
		return strings.HasPrefix(got, p)
	}
	return got == want
}
