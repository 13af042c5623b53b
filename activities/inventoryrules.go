package activities

import (
	"fmt"
	"time"
)

// Truth says which system's stock is right when the two differ.
type Truth string

// The directions of truth.
const (
	// TruthERP corrects Shopify to the ERP's stock.
	TruthERP Truth = "erp"
	// TruthShopify corrects the ERP to Shopify's stock.
	TruthShopify Truth = "shopify"
)

// ParseTruth reads "erp" or "shopify".
func ParseTruth(s string) (Truth, error) {
	switch t := Truth(s); t {
	case TruthERP, TruthShopify:
		return t, nil
	}
	return "", fmt.Errorf("unknown truth %q: want erp or shopify", s)
}

// Tolerance decides which differences count as drift: a difference within
// Absolute units, or within Percent of the truth's quantity, does not.
// The zero Tolerance counts every difference.
type Tolerance struct {
	Absolute int
	Percent  float64
}

// Within reports whether other is close enough to truth.
func (t Tolerance) Within(truth, other int) bool {
	d := truth - other
	if d < 0 {
		d = -d
	}
	base := truth
	if base < 0 {
		base = -base
	}
	return d <= t.Absolute || float64(d)*100 <= t.Percent*float64(base)
}

// DefaultGraceWindow is how recently an item may have changed on either
// side before a reconciliation leaves it to the next run: its webhook may
// still be on its way.
const DefaultGraceWindow = 10 * time.Minute

// InventoryRules are a shop's reconciliation settings.
type InventoryRules struct {
	Truth     Truth
	Tolerance Tolerance
	// GraceWindow defers items changed on either side this recently.
	GraceWindow time.Duration
}

// recent reports whether t lies within the grace window before asOf.
func (r InventoryRules) recent(t, asOf time.Time) bool {
	return !t.IsZero() && t.After(asOf.Add(-r.GraceWindow))
}
