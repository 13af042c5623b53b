package ingress

import "github.com/shopflow/shopflow/internal/env"

// ShopSecrets maps each shop's domain to the app secrets its webhooks may be
// signed with: usually one, two while a secret is being rotated.
type ShopSecrets map[string][][]byte

// ParseShopSecrets reads secrets written as
// "shop-a.myshopify.com=secret1,secret2;shop-b.myshopify.com=secret3".
func ParseShopSecrets(s string) (ShopSecrets, error) {
	values, err := env.ParseShopValues(s, "shop secrets")
	if err != nil {
		return nil, err
	}
	out := ShopSecrets{}
	for shop, list := range values {
		for _, secret := range list {
			out[shop] = append(out[shop], []byte(secret))
		}
	}
	return out, nil
}
