package shopifysim

import "testing"

func TestMetafieldTypes(t *testing.T) {
	rich := `{"type":"root","children":[{"type":"paragraph","children":[{"type":"text","value":"This is italicized text and ","italic":true}]}]}`
	cases := []struct {
		typ, value string
		ok         bool
	}{
		{"single_line_text_field", "Made in Canada", true},
		{"multi_line_text_field", "95% Cotton\n5% Spandex", true},
		{"rich_text_field", rich, true},
		{"rich_text_field", `{"type":"root","children":[{"type":"heading","level":2,"children":[{"type":"text","value":"x"}]},{"type":"list","listType":"ordered","children":[{"type":"list-item","children":[{"type":"link","url":"https://example.com","children":[{"type":"text","value":"y"}]}]}]}]}`, true},
		{"rich_text_field", "plain text", false},
		{"rich_text_field", `{"type":"paragraph","children":[]}`, false},
		{"rich_text_field", `{"type":"root","children":[{"type":"text","value":"no paragraph"}]}`, false},
		{"rich_text_field", `{"type":"root","children":[{"type":"heading","level":7,"children":[]}]}`, false},
		{"number_integer", "42", true},
		{"number_integer", "4.2", false},
		{"number_integer", "9007199254740993", false},
		{"number_decimal", "-4.25", true},
		{"number_decimal", "1e5", false},
		{"boolean", "true", true},
		{"boolean", "yes", false},
		{"json", `{"a":1}`, true},
		{"json", `{a:1}`, false},
		{"date", "2026-02-28", true},
		{"date", "2026-02-30", false},
		{"date_time", "2026-02-28T10:00:00", true},
		{"date_time", "2026-02-28T10:00:00+01:00", true},
		{"date_time", "tomorrow", false},
		{"color", "#1a2B3c", true},
		{"color", "red", false},
		{"url", "https://example.com/a", true},
		{"url", "mailto:someone@example.com", true},
		{"url", "ftp://example.com", false},
		{"link", `{"text":"Docs","url":"https://example.com"}`, true},
		{"link", `{"url":"https://example.com"}`, false},
		{"money", `{"amount":"5.99","currency_code":"CAD"}`, true},
		{"money", `{"amount":"five","currency_code":"CAD"}`, false},
		{"rating", `{"value":"3.5","scale_min":"1.0","scale_max":"5.0"}`, true},
		{"rating", `{"value":"6","scale_min":"1.0","scale_max":"5.0"}`, false},
		{"weight", `{"value":2.5,"unit":"KILOGRAMS"}`, true},
		{"weight", `{"value":2.5,"unit":"LITERS"}`, false},
		{"volume", `{"value":1,"unit":"LITERS"}`, true},
		{"dimension", `{"value":10,"unit":"CENTIMETERS"}`, true},
		{"product_reference", "gid://shopify/Product/1", true},
		{"product_reference", "gid://shopify/Order/1", false},
		{"file_reference", "gid://shopify/MediaImage/3", true},
		{"list.single_line_text_field", `["a","b"]`, true},
		{"list.single_line_text_field", `"a"`, false},
		{"list.number_integer", `[1,2,3]`, true},
		{"list.number_integer", `[1,"x"]`, false},
		{"list.product_reference", `["gid://shopify/Product/1"]`, true},
		{"list.weight", `[{"value":1,"unit":"GRAMS"}]`, true},
		{"list.date", `["2026-01-01","2026-13-01"]`, false},
	}
	for _, c := range cases {
		if !knownMetafieldType(c.typ) {
			t.Errorf("%s: not a known type", c.typ)
			continue
		}
		if msg := invalidTypedValue(c.typ, c.value); (msg == "") != c.ok {
			t.Errorf("%s %q: valid %v, want %v (%s)", c.typ, c.value, msg == "", c.ok, msg)
		}
	}
	for _, typ := range []string{"text", "list.boolean", "list.rich_text_field", "list.list.date", ""} {
		if knownMetafieldType(typ) {
			t.Errorf("%q is a known type", typ)
		}
	}
}

func TestMetafieldsSetRefusesUnknownTypesAndBadRichText(t *testing.T) {
	e := newEnv(t, nil)
	seed(t, e, 1, 1, 1)
	cat, _ := e.sim.Catalog(testShop)
	set := `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key } userErrors { field code } } }`
	r := e.gql(t, set, map[string]any{"m": []any{
		map[string]any{"ownerId": cat[0].ID, "namespace": "custom", "key": "aa", "type": "text", "value": "x"},
		map[string]any{"ownerId": cat[0].ID, "namespace": "custom", "key": "bb", "type": "rich_text_field", "value": "x"},
	}})
	mustNoErrors(t, r)
	errs := dig(r.Data, "metafieldsSet", "userErrors")
	if dig(errs, 0, "code") != "INVALID_TYPE" || dig(errs, 0, "field", 2) != "type" ||
		dig(errs, 1, "code") != "INVALID_VALUE" || dig(errs, 1, "field", 2) != "value" {
		t.Errorf("got %s", r.Raw)
	}
}
