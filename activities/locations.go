package activities

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopflow/shopflow/internal/env"
)

// LocationMap says, per shop, which ERP location (warehouse) each Shopify
// location's stock is kept at. A shop with no entry maps every Shopify
// location to the ERP location named by its numeric ID, so that a shop
// needs no configuration until its ERP names warehouses otherwise; a shop
// with entries syncs and reconciles only the locations listed.
type LocationMap map[string]map[int64]string

// ParseLocationMap reads a LocationMap written as
// "shop-a.myshopify.com=123:WH-A,456:WH-B;shop-b.myshopify.com=789:MAIN"
// (numeric Shopify location ID, colon, ERP location).
func ParseLocationMap(s string) (LocationMap, error) {
	values, err := env.ParseShopValues(s, "location map")
	if err != nil {
		return nil, err
	}
	m := LocationMap{}
	for shop, pairs := range values {
		m[shop] = map[int64]string{}
		for _, p := range pairs {
			id, wh, ok := strings.Cut(p, ":")
			n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
			if !ok || err != nil || n <= 0 || strings.TrimSpace(wh) == "" {
				return nil, fmt.Errorf("location map: %s: %q is not shopify-location-id:erp-location", shop, p)
			}
			m[shop][n] = strings.TrimSpace(wh)
		}
	}
	return m, nil
}

// ERPLocation returns the ERP location of a shop's Shopify location, and
// false if the shop's map leaves the location out (its stock is not kept
// in the ERP).
func (m LocationMap) ERPLocation(shop string, shopifyLocationID int64) (string, bool) {
	byID, ok := m[strings.ToLower(shop)]
	if !ok || len(byID) == 0 {
		return strconv.FormatInt(shopifyLocationID, 10), true
	}
	wh, ok := byID[shopifyLocationID]
	return wh, ok
}
