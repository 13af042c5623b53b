package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestVerify(t *testing.T) {
	body := []byte(`{"id":820982911946154508}`)
	old, current := []byte("old-secret"), []byte("new-secret")
	sig := Sign(old, body)

	cases := []struct {
		name      string
		body      []byte
		signature string
		secrets   [][]byte
		want      bool
	}{
		{"signed with the only secret", body, sig, [][]byte{old}, true},
		{"signed with the older secret during rotation", body, sig, [][]byte{current, old}, true},
		{"wrong secret", body, sig, [][]byte{current}, false},
		{"body changed", []byte(`{"id":1}`), sig, [][]byte{old}, false},
		{"empty signature", body, "", [][]byte{old}, false},
		{"not base64", body, "%%%", [][]byte{old}, false},
		{"truncated", body, sig[:10], [][]byte{old}, false},
		{"no secrets", body, sig, nil, false},
	}
	for _, c := range cases {
		if got := Verify(c.body, c.signature, c.secrets); got != c.want {
			t.Errorf("%s: Verify = %v, want %v", c.name, got, c.want)
		}
	}
}

// FuzzVerify checks signature verification against hostile signatures,
// bodies and secrets: a body signed with a secret verifies under it, alone
// or in a rotation pair; a changed body, another secret or a signature that
// does not carry the body's MAC is refused; nothing panics. The committed
// seed corpus (testdata/fuzz/FuzzVerify) holds Shopify's sample payloads.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"id":1}`), "", []byte("secret"))
	f.Add([]byte{}, "AAAA", []byte{})
	f.Fuzz(func(t *testing.T, body []byte, signature string, secret []byte) {
		good := Sign(secret, body)
		if !Verify(body, good, [][]byte{secret}) {
			t.Fatal("rejected the body's own signature")
		}
		if !Verify(body, good, [][]byte{append([]byte("old-"), secret...), secret}) {
			t.Fatal("rejected the body's signature under the second secret of a rotation pair")
		}
		if Verify(body, good, nil) {
			t.Fatal("accepted a signature without any secret")
		}
		if Verify(body, good, [][]byte{append([]byte("x"), secret...)}) {
			t.Fatal("accepted the signature under another secret")
		}
		if len(body) > 0 {
			tampered := bytes.Clone(body)
			tampered[len(tampered)/2] ^= 0x01
			if Verify(tampered, good, [][]byte{secret}) {
				t.Fatal("accepted a tampered body")
			}
		}
		// Any other signature is accepted only if it carries the body's
		// MAC: base64 may differ in newlines or padding bits it ignores.
		mac := hmac.New(sha256.New, secret)
		mac.Write(body)
		decoded, err := base64.StdEncoding.DecodeString(signature)
		want := err == nil && hmac.Equal(decoded, mac.Sum(nil))
		if got := Verify(body, signature, [][]byte{secret}); got != want {
			t.Fatalf("Verify(body, %q) = %v, want %v", signature, got, want)
		}
	})
}
