package admin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The result URL is pre-signed: whoever reads it in a log can download the
// export, so errors must not contain it.
func TestOpenBulkResultErrorsHideTheSignedURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	const secret = "X-Goog-Signature=c0ffee"
	for _, tc := range []struct {
		name, url string
		kind      ErrorKind
	}{
		{"download fails", srv.URL + "/bulk/1.jsonl?X-Goog-Expires=3600&" + secret, KindTransport},
		{"bad URL", srv.URL + "/bulk/%zz.jsonl?" + secret, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := OpenBulkResult(context.Background(), nil, tc.url)
			if err == nil {
				body.Close()
				t.Fatal("no error")
			}
			if KindOf(err) != tc.kind {
				t.Errorf("kind %v, want %v", KindOf(err), tc.kind)
			}
			if s := err.Error(); strings.Contains(s, secret) || strings.Contains(s, "/bulk/") {
				t.Errorf("error %q contains the URL", s)
			}
		})
	}
}
