package admin

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseGID splits a Shopify global ID such as "gid://shopify/Product/123"
// into its type ("Product") and numeric ID (123), the ID webhook payloads
// and the REST API use.
func ParseGID(gid string) (typ string, id int64, err error) {
	rest, ok := strings.CutPrefix(gid, "gid://shopify/")
	typ, num, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || typ == "" {
		return "", 0, fmt.Errorf("shopify: %q is not a global ID", gid)
	}
	// Some GIDs carry parameters: gid://shopify/InventoryLevel/1?inventory_item_id=2.
	num, _, _ = strings.Cut(num, "?")
	id, err = strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, fmt.Errorf("shopify: %q has no numeric ID", gid)
	}
	return typ, id, nil
}
