package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Sign returns the value Shopify puts in X-Shopify-Hmac-Sha256 for body:
// the base64 HMAC-SHA256 of the raw body keyed with the app's secret.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature is a valid X-Shopify-Hmac-Sha256 value for
// body under any of secrets. Several secrets are accepted at once so that an
// app secret can be rotated without dropping deliveries signed with the old
// one. The comparison runs in constant time.
func Verify(body []byte, signature string, secrets [][]byte) bool {
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	ok := false
	for _, secret := range secrets {
		mac := hmac.New(sha256.New, secret)
		mac.Write(body)
		// Check every secret, not just up to the first match, so timing does
		// not reveal which secret of a rotation pair is in use.
		if hmac.Equal(got, mac.Sum(nil)) {
			ok = true
		}
	}
	return ok
}
