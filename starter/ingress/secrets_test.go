package ingress

import (
	"strings"
	"testing"
)

func TestParseShopSecrets(t *testing.T) {
	got, err := ParseShopSecrets(" a.myshopify.com = s1 , s2 ; b.myshopify.com=s3;")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got["a.myshopify.com"]) != 2 || string(got["a.myshopify.com"][1]) != "s2" || string(got["b.myshopify.com"][0]) != "s3" {
		t.Errorf("ParseShopSecrets = %q", got)
	}
	for _, bad := range []string{"a.myshopify.com", "=s1", "a.myshopify.com=", "a.myshopify.com= , "} {
		if _, err := ParseShopSecrets(bad); err == nil {
			t.Errorf("ParseShopSecrets(%q) succeeded, want an error", bad)
		}
	}
	// An error must never echo what may be a secret.
	if _, err := ParseShopSecrets("supersecretvalue"); err == nil || strings.Contains(err.Error(), "supersecretvalue") {
		t.Errorf("error %v echoes the input", err)
	}
}

func FuzzParseShopSecrets(f *testing.F) {
	f.Add("a.myshopify.com=s1,s2;b.myshopify.com=s3")
	f.Fuzz(func(t *testing.T, s string) {
		shops, err := ParseShopSecrets(s)
		if err != nil {
			return
		}
		for shop, secrets := range shops {
			if shop == "" || len(secrets) == 0 {
				t.Errorf("%q parsed to shop %q with %d secrets", s, shop, len(secrets))
			}
		}
	})
}
