package admin

import "testing"

func TestParseGID(t *testing.T) {
	for gid, want := range map[string]struct {
		typ string
		id  int64
	}{
		"gid://shopify/Product/1000000003":                   {"Product", 1000000003},
		"gid://shopify/ProductVariant/42":                    {"ProductVariant", 42},
		"gid://shopify/InventoryLevel/7?inventory_item_id=9": {"InventoryLevel", 7},
		"gid://shopify/Order/820982911946154508":             {"Order", 820982911946154508},
	} {
		typ, id, err := ParseGID(gid)
		if err != nil || typ != want.typ || id != want.id {
			t.Errorf("ParseGID(%q) = %q, %d, %v; want %q, %d", gid, typ, id, err, want.typ, want.id)
		}
	}
	for _, bad := range []string{"", "123", "gid://shopify/Product", "gid://shopify/Product/", "gid://shopify/Product/x", "gid://other/Product/1", "gid://shopify//1"} {
		if _, _, err := ParseGID(bad); err == nil {
			t.Errorf("ParseGID(%q) succeeded, want an error", bad)
		}
	}
}
