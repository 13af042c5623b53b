package erp

import (
	"regexp"
	"strings"

	"golang.org/x/text/currency"
)

// decimalRE is a plain decimal amount as Shopify writes them, "12.50",
// "12.5", "-3", "1000".
var decimalRE = regexp.MustCompile(`^(-?)([0-9]+)(?:\.([0-9]+))?$`)

// CanonicalAmount writes a decimal amount with exactly the minor units of
// its ISO 4217 currency: "12.5" and "12.500" in USD become "12.50", "1000.0"
// in JPY becomes "1000".
//
// The same order reaches the ERP from a webhook (REST, "12.50") and from
// reconciliation (GraphQL's Decimal, "12.5") under one idempotency key, and
// the ERP compares the requests byte for byte: without one spelling, the
// second path would be refused as a different request.
//
// Money is never rounded: digits beyond the currency's minor units that are
// not zero are kept. An unknown currency gets two decimals, and a string
// that is not a decimal is returned unchanged, for the ERP to refuse.
func CanonicalAmount(amount, currencyCode string) string {
	m := decimalRE.FindStringSubmatch(amount)
	if m == nil {
		return amount
	}
	sign, whole, frac := m[1], strings.TrimLeft(m[2], "0"), strings.TrimRight(m[3], "0")
	if whole == "" {
		whole = "0"
	}
	scale := 2
	if u, err := currency.ParseISO(currencyCode); err == nil {
		scale, _ = currency.Standard.Rounding(u)
	}
	if len(frac) < scale {
		frac += strings.Repeat("0", scale-len(frac))
	}
	if whole == "0" && strings.Trim(frac, "0") == "" {
		sign = "" // "-0.00" is zero
	}
	if frac == "" {
		return sign + whole
	}
	return sign + whole + "." + frac
}

// canonical returns the invoice with every amount in CanonicalAmount's form.
func (in InvoiceRequest) canonical() InvoiceRequest {
	out := in
	out.Total = CanonicalAmount(in.Total, in.Currency)
	out.Lines = make([]InvoiceLine, len(in.Lines))
	for i, l := range in.Lines {
		l.UnitPrice = CanonicalAmount(l.UnitPrice, in.Currency)
		out.Lines[i] = l
	}
	return out
}
