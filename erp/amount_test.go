package erp

import "testing"

func TestCanonicalAmount(t *testing.T) {
	for _, tc := range []struct {
		amount, currency, want string
	}{
		{"12.50", "USD", "12.50"}, // a webhook's amount is already canonical
		{"12.5", "USD", "12.50"},  // GraphQL's Decimal drops the trailing zero
		{"10.0", "USD", "10.00"},
		{"10", "USD", "10.00"},
		{"12.500", "USD", "12.50"},
		{"0012.50", "USD", "12.50"},
		{"12.345", "USD", "12.345"}, // never rounded
		{"0.0", "USD", "0.00"},
		{"-0.0", "USD", "0.00"},
		{"-3.5", "EUR", "-3.50"},
		{"1000.0", "JPY", "1000"}, // no minor units
		{"1000", "JPY", "1000"},
		{"1000.5", "JPY", "1000.5"},
		{"1.5", "KWD", "1.500"}, // three minor units
		{"1.5", "", "1.50"},     // unknown currency: two decimals
		{"1.5", "NOTACODE", "1.50"},
		{"", "USD", ""}, // not a decimal: unchanged, for the ERP to refuse
		{"12,50", "USD", "12,50"},
		{"1e3", "USD", "1e3"},
		{" 12.5", "USD", " 12.5"},
	} {
		if got := CanonicalAmount(tc.amount, tc.currency); got != tc.want {
			t.Errorf("CanonicalAmount(%q, %q) = %q, want %q", tc.amount, tc.currency, got, tc.want)
		}
	}
}
