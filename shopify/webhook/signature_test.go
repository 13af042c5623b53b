package webhook

import "testing"

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

// FuzzVerify checks that no input makes Verify panic, and that a body is
// accepted only with its own signature.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"id":1}`), "", []byte("secret"))
	f.Add([]byte{}, "AAAA", []byte{})
	f.Fuzz(func(t *testing.T, body []byte, signature string, secret []byte) {
		if Verify(body, signature, [][]byte{secret}) && signature != Sign(secret, body) {
			t.Errorf("accepted signature %q that is not the body's", signature)
		}
		if !Verify(body, Sign(secret, body), [][]byte{secret}) {
			t.Error("rejected the body's own signature")
		}
	})
}
