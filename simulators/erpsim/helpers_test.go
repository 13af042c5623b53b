package erpsim

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// testServer serves a fresh simulator; logs are dropped unless opts says
// otherwise.
func testServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := New(opts)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

// send makes a raw request and returns the answer with its body read.
func send(t *testing.T, ts *httptest.Server, method, path, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// errorCode extracts error.code from an error body, failing if the body is
// not in the API's error shape.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("body %q is not {\"error\":{\"code\",\"message\"}}", body)
	}
	return e.Error.Code
}

const invoiceBody = `{"shop":"acme.myshopify.com","order_id":1,"order_name":"#1001","currency":"EUR",` +
	`"lines":[{"sku":"MUG","quantity":1,"unit_price":"8.50"}],"total":"8.50"}`

func key(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }
