package erpsim

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestErrors(t *testing.T) {
	_, ts := testServer(t, Options{MaxBodyBytes: 256})
	big := `{"shop":"` + strings.Repeat("x", 300) + `"}`
	cases := []struct {
		name, method, path, body string
		header                   map[string]string
		wantStatus               int
		wantCode                 string
	}{
		{"missing idempotency key", "POST", "/v1/invoices", invoiceBody, nil, 400, CodeIdempotencyKeyMissing},
		{"missing key on fulfillments", "POST", "/v1/fulfillment-requests", `{}`, nil, 400, CodeIdempotencyKeyMissing},
		{"key too long", "POST", "/v1/invoices", invoiceBody, key(strings.Repeat("k", 256)), 400, CodeInvalidRequest},
		{"oversized invoice", "POST", "/v1/invoices", big, key("big"), 413, CodeRequestTooLarge},
		{"oversized product", "PUT", "/v1/products/MUG", big, nil, 413, CodeRequestTooLarge},
		{"malformed JSON", "POST", "/v1/invoices", `{"shop":`, key("bad-json"), 400, CodeInvalidJSON},
		{"unknown field", "POST", "/v1/invoices", `{"shop":"a","colour":"red"}`, key("unknown"), 400, CodeInvalidJSON},
		{"float money", "POST", "/v1/invoices", strings.Replace(invoiceBody, `"total":"8.50"`, `"total":8.5`, 1), key("float"), 400, CodeInvalidJSON},
		{"validation", "POST", "/v1/invoices", `{"shop":"a","order_id":0}`, key("invalid"), 422, CodeValidationFailed},
		{"sku mismatch", "PUT", "/v1/products/MUG", `{"sku":"CUP","name":"Cup","shopify_product_id":1}`, nil, 422, CodeValidationFailed},
		{"missing product", "GET", "/v1/products/NOPE", "", nil, 404, CodeNotFound},
		{"lookup without product id", "GET", "/v1/products", "", nil, 400, CodeInvalidRequest},
		{"stock without sku", "GET", "/v1/stock", "", nil, 400, CodeInvalidRequest},
		{"unknown route", "GET", "/v2/anything", "", nil, 404, CodeNotFound},
		{"wrong method", "DELETE", "/v1/invoices", "", nil, 405, CodeMethodNotAllowed},
		{"bad order id", "GET", "/admin/orders/acme/x", "", nil, 400, CodeInvalidRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := send(t, ts, tc.method, tc.path, tc.body, tc.header)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, body)
			}
			if got := errorCode(t, body); got != tc.wantCode {
				t.Errorf("code = %q, want %q", got, tc.wantCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	_, ts := testServer(t, Options{})
	resp, _ := send(t, ts, "DELETE", "/v1/invoices", "", nil)
	if allow := resp.Header.Get("Allow"); !strings.Contains(allow, "POST") {
		t.Errorf("Allow = %q, want POST in it", allow)
	}
}

func TestReplay(t *testing.T) {
	_, ts := testServer(t, Options{})
	first, firstBody := send(t, ts, "POST", "/v1/invoices", invoiceBody, key("k1"))
	if first.StatusCode != 201 || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d replayed=%q %s", first.StatusCode, first.Header.Get("Idempotent-Replayed"), firstBody)
	}
	// Same fields in another order and with other spacing: the same request.
	reordered := `{ "total":"8.50", "lines":[{"unit_price":"8.50","quantity":1,"sku":"MUG"}],
		"currency":"EUR","order_name":"#1001","order_id":1,"shop":"acme.myshopify.com" }`
	second, secondBody := send(t, ts, "POST", "/v1/invoices", reordered, key("k1"))
	if second.StatusCode != 201 || second.Header.Get("Idempotent-Replayed") != "true" || secondBody != firstBody {
		t.Errorf("replay: %d replayed=%q body %s, want 201, true and the first body %s",
			second.StatusCode, second.Header.Get("Idempotent-Replayed"), secondBody, firstBody)
	}
}

func TestValidationErrorsAreNotStored(t *testing.T) {
	sim, ts := testServer(t, Options{StrictSKUs: true})
	// A malformed request runs again rather than replaying its 400.
	for range 2 {
		resp, _ := send(t, ts, "POST", "/v1/invoices", `{"shop":`, key("bad"))
		if resp.StatusCode != 400 || resp.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("malformed request: status %d replayed=%q, want a fresh 400", resp.StatusCode, resp.Header.Get("Idempotent-Replayed"))
		}
	}
	// An invoice for a SKU the master data lacks is refused; once the
	// product is added, the same request under the same key succeeds.
	if resp, body := send(t, ts, "POST", "/v1/invoices", invoiceBody, key("k")); resp.StatusCode != 422 {
		t.Fatalf("unknown SKU: %d %s, want 422", resp.StatusCode, body)
	}
	if _, err := sim.PutProduct(Product{SKU: "MUG", Name: "Mug", ShopifyProductID: 1}); err != nil {
		t.Fatal(err)
	}
	if resp, body := send(t, ts, "POST", "/v1/invoices", invoiceBody, key("k")); resp.StatusCode != 201 {
		t.Errorf("after the fix: %d %s, want 201", resp.StatusCode, body)
	}
}

// TestUnstorableResultsFreeTheKey drives the pipeline with a handler that
// first fails and then succeeds: after 5xx, 409, 429, 400 or 422 the retry must run
// the handler again, after success it must be replayed.
func TestUnstorableResultsFreeTheKey(t *testing.T) {
	for _, status := range []int{500, 503, 409, 429, 400, 422} {
		s := New(Options{Logger: slog.New(slog.DiscardHandler)})
		calls := 0
		h := s.v1(func(r *http.Request, body []byte) response {
			calls++
			if calls == 1 {
				return errorResponse(status, "boom", "first attempt fails")
			}
			return jsonResponse(201, map[string]int{"call": calls})
		}, true)
		ts := httptest.NewServer(h)
		for i, want := range []struct {
			status   int
			replayed string
		}{{status, ""}, {201, ""}, {201, "true"}} {
			resp, body := send(t, ts, "POST", "/v1/x", `{}`, key("k"))
			if resp.StatusCode != want.status || resp.Header.Get("Idempotent-Replayed") != want.replayed {
				t.Errorf("after %d, request %d: %d replayed=%q %s, want %d replayed=%q",
					status, i, resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), body, want.status, want.replayed)
			}
		}
		ts.Close()
		if calls != 2 {
			t.Errorf("after %d: handler ran %d times, want 2", status, calls)
		}
	}
}

func TestLogsCarryCorrelationIDButNoBodies(t *testing.T) {
	var logs bytes.Buffer
	_, ts := testServer(t, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	body := strings.Replace(invoiceBody, "#1001", "Jane Customer, 1 Secret Street", 1)
	resp, _ := send(t, ts, "POST", "/v1/invoices", body, map[string]string{"Idempotency-Key": "k", "X-Correlation-ID": "corr-42"})
	if resp.Header.Get("X-Correlation-ID") != "corr-42" {
		t.Errorf("correlation ID not echoed")
	}
	out := logs.String()
	for _, want := range []string{`"correlation_id":"corr-42"`, `"method":"POST"`, `"path":"/v1/invoices"`, `"status":"201"`, `"duration":`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s: %s", want, out)
		}
	}
	if strings.Contains(out, "Secret Street") || strings.Contains(out, "8.50") {
		t.Errorf("log leaks the body: %s", out)
	}
}

func TestHTTPServerHasTimeouts(t *testing.T) {
	srv := New(Options{Logger: slog.New(slog.DiscardHandler)}).HTTPServer("127.0.0.1:0", 0)
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 {
		t.Errorf("http.Server without timeouts: %+v", srv)
	}
}

func TestOversizedBodyWithStatusCode(t *testing.T) {
	_, ts := testServer(t, Options{})
	resp, _ := send(t, ts, "POST", "/v1/invoices", strings.Repeat(" ", DefaultMaxBodyBytes+1), key("huge"))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MiB + 1 byte: status %d, want 413", resp.StatusCode)
	}
}
