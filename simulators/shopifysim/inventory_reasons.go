package shopifysim

import "strings"

// InventoryAdjustmentGroup.reason is the reason's label, not the input's
// code: Shopify's published examples answer "Inventory correction" for
// reason "correction" and "Damaged" for "damaged". Other codes are
// labelled the same way, capitalized with spaces (a guess: no published
// example shows them).
var inventoryReasonLabels = map[string]string{
	"correction": "Inventory correction",
	"damaged":    "Damaged",
}

// inventoryReasonLabel is the label of an inventory change reason code.
func inventoryReasonLabel(code string) string {
	if l, ok := inventoryReasonLabels[code]; ok {
		return l
	}
	s := strings.ReplaceAll(code, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
