package gql

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	inner := &Map{}
	inner.Set("z", []any{int64(1), 2, nil, true, json.Number("1.50"), 2.5})
	inner.Set("a", "<tag> & \"quote\" é\n")
	m := &Map{}
	m.Set("second", 1)
	m.Set("first", inner)
	m.Set("gone", "x")
	m.Set("second", 2) // keeps its place
	m.Delete("gone")
	var buf bytes.Buffer
	WriteJSON(&buf, m)
	want := `{"second":2,"first":{"z":[1,2,null,true,1.50,2.5],"a":"\u003ctag\u003e \u0026 \"quote\" é\n"}}`
	if got := buf.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !json.Valid(buf.Bytes()) {
		t.Error("invalid JSON")
	}
}

func TestParseID(t *testing.T) {
	for _, c := range []struct {
		s, typ string
		id     int64
		ok     bool
	}{
		{"gid://shopify/Product/12", "Product", 12, true},
		{"gid://shopify/Product/12", "", 12, true},
		{"gid://shopify/Product/12", "Order", 0, false},
		{"gid://shopify/InventoryLevel/7?inventory_item_id=3", "InventoryLevel", 7, true},
		{" 34 ", "Order", 34, true},
		{"0", "", 0, false},
		{"gid://shopify/Product", "", 0, false},
		{"abc", "", 0, false},
	} {
		id, ok := ParseID(c.s, c.typ)
		if id != c.id || ok != c.ok {
			t.Errorf("ParseID(%q, %q) = %d, %v", c.s, c.typ, id, ok)
		}
	}
	if got := GID("Product", 12); got != "gid://shopify/Product/12" {
		t.Errorf("GID: %s", got)
	}
}

func TestArgs(t *testing.T) {
	args := map[string]any{
		"i": int64(3), "f": 4.0, "n": json.Number("5"), "bad": json.Number("5.5"), "s": "x", "b": true,
		"list": []any{"a", 1, "b"}, "obj": map[string]any{"k": "v"}, "objs": []any{map[string]any{}, "x"},
	}
	for name, want := range map[string]int{"i": 3, "f": 4, "n": 5} {
		if got, ok := ArgInt(args, name); !ok || got != want {
			t.Errorf("ArgInt %s: %d, %v", name, got, ok)
		}
	}
	if _, ok := ArgInt(args, "bad"); ok {
		t.Error("5.5 is an int")
	}
	if _, ok := ArgInt(args, "none"); ok {
		t.Error("a missing argument is an int")
	}
	if ArgString(args, "s") != "x" || ArgString(args, "i") != "" || !ArgBool(args, "b") || ArgBool(args, "s") {
		t.Error("ArgString or ArgBool")
	}
	if got := ArgStrings(args, "list"); len(got) != 2 || got[1] != "b" {
		t.Errorf("ArgStrings: %v", got)
	}
	if ArgObject(args, "obj")["k"] != "v" || ArgObject(args, "s") != nil || len(ArgObjects(args, "objs")) != 1 {
		t.Error("ArgObject or ArgObjects")
	}
	// A single value given for a list is a list of one.
	if got := ArgStrings(args, "s"); len(got) != 1 || got[0] != "x" {
		t.Errorf("ArgStrings of a single value: %v", got)
	}
	if got := ArgObjects(args, "obj"); len(got) != 1 || got[0]["k"] != "v" {
		t.Errorf("ArgObjects of a single value: %v", got)
	}
	if got := ArgStrings(args, "i"); len(got) != 0 {
		t.Errorf("ArgStrings of a number: %v", got)
	}
}
