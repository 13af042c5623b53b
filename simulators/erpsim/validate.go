package erpsim

import (
	"fmt"
	"regexp"
)

var (
	// decimalRE accepts non-negative decimal strings such as "0", "12.5" and
	// "19.990"; no exponent, sign or leading zeros, as an ERP would.
	decimalRE  = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]+)?$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
)

func validateProduct(p Product) []string {
	var problems []string
	if p.SKU == "" {
		problems = append(problems, "sku is required")
	}
	if p.Name == "" {
		problems = append(problems, "name is required")
	}
	if p.ShopifyProductID <= 0 {
		problems = append(problems, "shopify_product_id must be positive")
	}
	if p.ShopifyVariantID < 0 {
		problems = append(problems, "shopify_variant_id must not be negative")
	}
	return problems
}

func validateInvoice(in invoiceInput) []string {
	var problems []string
	problems = append(problems, validateOrderRef(in.Shop, in.OrderID)...)
	if !currencyRE.MatchString(in.Currency) {
		problems = append(problems, "currency must be an ISO 4217 code such as USD")
	}
	if !decimalRE.MatchString(in.Total) {
		problems = append(problems, "total must be a non-negative decimal string")
	}
	if len(in.Lines) == 0 {
		problems = append(problems, "lines must not be empty")
	}
	for i, l := range in.Lines {
		if l.SKU == "" {
			problems = append(problems, fmt.Sprintf("lines[%d].sku is required", i))
		}
		if l.Quantity <= 0 {
			problems = append(problems, fmt.Sprintf("lines[%d].quantity must be positive", i))
		}
		if !decimalRE.MatchString(l.UnitPrice) {
			problems = append(problems, fmt.Sprintf("lines[%d].unit_price must be a non-negative decimal string", i))
		}
	}
	return problems
}

func validateFulfillment(in fulfillmentInput) []string {
	var problems []string
	problems = append(problems, validateOrderRef(in.Shop, in.OrderID)...)
	if in.InvoiceID == "" {
		problems = append(problems, "invoice_id is required")
	}
	if len(in.Lines) == 0 {
		problems = append(problems, "lines must not be empty")
	}
	for i, l := range in.Lines {
		if l.SKU == "" {
			problems = append(problems, fmt.Sprintf("lines[%d].sku is required", i))
		}
		if l.Quantity <= 0 {
			problems = append(problems, fmt.Sprintf("lines[%d].quantity must be positive", i))
		}
	}
	return problems
}

func validateOrderRef(shop string, orderID int64) []string {
	var problems []string
	if shop == "" {
		problems = append(problems, "shop is required")
	}
	if orderID <= 0 {
		problems = append(problems, "order_id must be positive")
	}
	return problems
}
