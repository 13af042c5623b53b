// Package env reads shopflow's settings from the environment.
package env

import (
	"fmt"
	"os"
	"strings"
)

// Or returns the environment variable name, or fallback when it is unset or
// empty.
func Or(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// ParseShopValues reads per-shop values written as
// "shop-a.myshopify.com=v1,v2;shop-b.myshopify.com=v3", such as webhook
// secrets or access tokens; what names them in errors. Values are secrets:
// errors never quote them.
func ParseShopValues(s, what string) (map[string][]string, error) {
	out := map[string][]string{}
	for i, entry := range strings.Split(s, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		shop, list, ok := strings.Cut(entry, "=")
		shop = strings.ToLower(strings.TrimSpace(shop))
		if !ok || shop == "" {
			return nil, fmt.Errorf("%s: entry %d is not shop=value[,value]", what, i+1)
		}
		for _, v := range strings.Split(list, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out[shop] = append(out[shop], v)
			}
		}
		if len(out[shop]) == 0 {
			return nil, fmt.Errorf("%s: %s has no value", what, shop)
		}
	}
	return out, nil
}
