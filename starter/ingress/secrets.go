package ingress

import (
	"fmt"
	"strings"
)

// ShopSecrets maps each shop's domain to the app secrets its webhooks may be
// signed with: usually one, two while a secret is being rotated.
type ShopSecrets map[string][][]byte

// ParseShopSecrets reads secrets written as
// "shop-a.myshopify.com=secret1,secret2;shop-b.myshopify.com=secret3".
func ParseShopSecrets(s string) (ShopSecrets, error) {
	out := ShopSecrets{}
	for i, entry := range strings.Split(s, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		shop, list, ok := strings.Cut(entry, "=")
		shop = strings.TrimSpace(shop)
		if !ok || shop == "" {
			// The entry may hold a secret: never echo it.
			return nil, fmt.Errorf("shop secrets: entry %d is not shop=secret[,secret]", i+1)
		}
		for _, secret := range strings.Split(list, ",") {
			if secret = strings.TrimSpace(secret); secret != "" {
				out[shop] = append(out[shop], []byte(secret))
			}
		}
		if len(out[shop]) == 0 {
			return nil, fmt.Errorf("shop secrets: %s has no secret", shop)
		}
	}
	return out, nil
}
