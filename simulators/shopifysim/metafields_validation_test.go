package shopifysim

import "testing"

func TestInvalidMetafieldValue(t *testing.T) {
	cases := []struct {
		typ, value string
		ok         bool
	}{
		{"number_integer", "12", true},
		{"number_integer", "twelve", false},
		{"number_decimal", "1.5", true},
		{"number_decimal", "1,5", false},
		{"boolean", "true", true},
		{"boolean", "yes", false},
		{"json", `{"a":1}`, true},
		{"json", `{"a":`, false},
		{"single_line_text_field", "anything", true},
	}
	for _, c := range cases {
		if got := invalidMetafieldValue(c.typ, c.value) == ""; got != c.ok {
			t.Errorf("%s %q: valid %v, want %v", c.typ, c.value, got, c.ok)
		}
	}
}
