package shopifysim

import (
	"fmt"
	"strings"
	"time"
)

// SeedOptions sizes a generated catalog.
type SeedOptions struct {
	// Products is the number of products to add.
	Products int `json:"products"`
	// VariantsPerProduct defaults to 1.
	VariantsPerProduct int `json:"variantsPerProduct"`
	// Locations is the number of locations every variant is stocked at;
	// missing locations are created. Defaults to 1.
	Locations int `json:"locations"`
}

// maxSeedLevels bounds the inventory levels (products × variants ×
// locations) one SeedCatalog call creates: far beyond what tests and demos
// need, and small enough that one request cannot exhaust memory or hold the
// shop's write lock for long.
const maxSeedLevels = 5_000_000

// SeedCatalog adds a deterministic catalog to a shop: products with
// variants, unique SKUs ("SKU-000001-1"), inventory items and stock at every
// location. It emits no webhooks (a seeded shop is a shop that already
// existed). Product i is updated one second after product i-1, ending now,
// so updated_at filters have something to bite on. One call creates at most
// 5,000,000 inventory levels (Products × VariantsPerProduct × Locations).
func (s *Simulator) SeedCatalog(shopDomain string, opt SeedOptions) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	if opt.Products < 0 || opt.VariantsPerProduct < 0 || opt.Locations < 0 {
		return fmt.Errorf("shopifysim: negative seed size")
	}
	if opt.VariantsPerProduct == 0 {
		opt.VariantsPerProduct = 1
	}
	if opt.Locations == 0 {
		opt.Locations = 1
	}
	// The per-dimension caps also keep the product below from overflowing.
	if opt.VariantsPerProduct > 2048 || opt.Products > 1_000_000 || opt.Locations > 200 {
		return fmt.Errorf("shopifysim: seed too large (at most 1000000 products, 2048 variants per product, 200 locations)")
	}
	// Each dimension may be fine while their product is not: the catalog is
	// built under the shop's write lock from an unauthenticated endpoint, so
	// the total is what bounds memory and how long the shop stalls.
	if levels := int64(opt.Products) * int64(opt.VariantsPerProduct) * int64(opt.Locations); levels > maxSeedLevels {
		return fmt.Errorf("shopifysim: seed too large: %d products × %d variants × %d locations is %d inventory levels, more than %d",
			opt.Products, opt.VariantsPerProduct, opt.Locations, levels, maxSeedLevels)
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.now()
	sh.ensureLocations(opt.Locations, now)
	locs := sh.locations[:opt.Locations]
	start := now.Add(-time.Duration(opt.Products) * time.Second)
	first := len(sh.products)
	for i := range opt.Products {
		n := first + i + 1
		at := start.Add(time.Duration(i+1) * time.Second)
		p := &product{
			ID:          sh.id(),
			Title:       fmt.Sprintf("Product %06d", n),
			Vendor:      fmt.Sprintf("Vendor %d", n%17),
			ProductType: []string{"Shirts", "Shoes", "Hats", "Bags"}[n%4],
			Status:      "ACTIVE",
			Tags:        []string{"seeded"},
			BodyHTML:    fmt.Sprintf("<p>Seeded product %d.</p>", n),
			CreatedAt:   at,
			UpdatedAt:   at,
		}
		p.Handle = fmt.Sprintf("product-%06d", n)
		p.Variants = make([]*variant, 0, opt.VariantsPerProduct)
		for j := range opt.VariantsPerProduct {
			v := &variant{
				ID:        sh.id(),
				Product:   p,
				Title:     variantTitle(j, opt.VariantsPerProduct),
				SKU:       fmt.Sprintf("SKU-%06d-%d", n, j+1),
				Barcode:   fmt.Sprintf("%012d", int64(n)*100+int64(j)),
				Price:     formatCents(int64(500 + (n*37+j*100)%9500)),
				Position:  j + 1,
				CreatedAt: at,
				UpdatedAt: at,
			}
			sh.addInventoryItem(v, locs, func(k int) int { return (n*7 + j*3 + k*5) % 50 }, at)
			p.Variants = append(p.Variants, v)
			sh.variantByID[v.ID] = v
		}
		sh.insertProduct(p)
	}
	return nil
}

// variantTitle names variant j of n like Shopify does: "Default Title" for a
// single variant, sizes otherwise.
func variantTitle(j, n int) string {
	if n == 1 {
		return "Default Title"
	}
	sizes := []string{"XS", "S", "M", "L", "XL", "XXL"}
	if j < len(sizes) {
		return sizes[j]
	}
	return fmt.Sprintf("Size %d", j+1)
}

// ensureLocations creates locations until the shop has n. Callers hold mu.
func (sh *shop) ensureLocations(n int, now time.Time) {
	names := []string{"Main Warehouse", "Downtown Store", "East Depot", "West Depot"}
	for len(sh.locations) < n {
		i := len(sh.locations)
		name := fmt.Sprintf("Location %d", i+1)
		if i < len(names) {
			name = names[i]
		}
		l := &location{ID: sh.id(), Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
		sh.locations = append(sh.locations, l)
		sh.locByID[l.ID] = l
	}
}

// addInventoryItem gives v a tracked inventory item stocked at locs with
// available quantities from stock. Callers hold mu.
func (sh *shop) addInventoryItem(v *variant, locs []*location, stock func(k int) int, at time.Time) {
	it := &inventoryItem{ID: sh.id(), Variant: v, Tracked: true, CreatedAt: at, UpdatedAt: at}
	it.Levels = make([]*inventoryLevel, 0, len(locs))
	for k, loc := range locs {
		q := stock(k)
		l := &inventoryLevel{
			ID: sh.id(), Item: it, Location: loc, CreatedAt: at, UpdatedAt: at,
			Quantities: map[string]int{"available": q, "on_hand": q},
		}
		it.Levels = append(it.Levels, l)
		sh.levelByID[l.ID] = l
	}
	v.Item = it
	sh.itemByID[it.ID] = it
}

// formatCents renders cents as Shopify's REST payloads and its GraphQL
// Money scalar do, "12.50".
func formatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// formatDecimal renders cents as Shopify's GraphQL Decimal scalar
// (MoneyV2.amount) does: trailing zeros dropped but one decimal kept, "12.5",
// "10.0", "19.99". The same amount reads "12.50" in a webhook, and code that
// copies one into the other must not take the strings for equal.
func formatDecimal(c int64) string {
	return strings.TrimSuffix(formatCents(c), "0")
}

// parseCents reads a decimal money string; malformed input counts as zero.
func parseCents(s string) int64 {
	var whole, frac int64
	var fracDigits int
	neg, seenDot := false, false
	for i, r := range s {
		switch {
		case r == '-' && i == 0:
			neg = true
		case r == '.' && !seenDot:
			seenDot = true
		case r >= '0' && r <= '9':
			if seenDot {
				if fracDigits < 2 {
					frac = frac*10 + int64(r-'0')
					fracDigits++
				}
			} else {
				whole = whole*10 + int64(r-'0')
			}
		default:
			return 0
		}
	}
	for fracDigits < 2 {
		frac *= 10
		fracDigits++
	}
	c := whole*100 + frac
	if neg {
		c = -c
	}
	return c
}
