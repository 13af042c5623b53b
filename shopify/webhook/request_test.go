package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestNewRequestReachesAReceiver sends a request over real HTTP and reads it
// the way starter/ingress does: the raw body, Verify against the shop's
// secrets, then each header by its constant.
func TestNewRequestReachesAReceiver(t *testing.T) {
	secret := []byte("shop-secret")
	triggered := time.Date(2026, 1, 2, 4, 4, 5, 123456789, time.FixedZone("CET", 3600))
	d := Delivery{
		Topic: "orders/create", Shop: "x.myshopify.com", APIVersion: "2026-10",
		WebhookID: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", EventID: "e-1",
		TriggeredAt: triggered, Body: []byte(`{"id":820982911946154508}`),
	}
	type received struct {
		method string
		header http.Header
		body   []byte
	}
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Method, r.Header.Clone(), body}
	}))
	defer srv.Close()

	req, err := NewRequest(context.Background(), srv.URL+"/webhooks/shopify", secret, d)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := <-got

	if r.method != http.MethodPost {
		t.Errorf("method %s, want POST", r.method)
	}
	if string(r.body) != string(d.Body) {
		t.Errorf("body %q, want %q", r.body, d.Body)
	}
	if !Verify(r.body, r.header.Get(HeaderHMAC), [][]byte{[]byte("rotated-out"), secret}) {
		t.Errorf("signature %q does not verify", r.header.Get(HeaderHMAC))
	}
	if Verify(r.body, r.header.Get(HeaderHMAC), [][]byte{[]byte("another shop's")}) {
		t.Error("signature verifies under another secret")
	}
	for name, want := range map[string]string{
		"Content-Type":    "application/json",
		"User-Agent":      UserAgent,
		HeaderTopic:       d.Topic,
		HeaderShopDomain:  d.Shop,
		HeaderAPIVersion:  d.APIVersion,
		HeaderWebhookID:   d.WebhookID,
		HeaderEventID:     d.EventID,
		HeaderTriggeredAt: "2026-01-02T03:04:05.123456789Z",
		HeaderHMAC:        Sign(secret, d.Body),
	} {
		if v := r.header.Get(name); v != want {
			t.Errorf("%s: %q, want %q", name, v, want)
		}
	}
	if at, err := time.Parse(time.RFC3339Nano, r.header.Get(HeaderTriggeredAt)); err != nil || !at.Equal(triggered) {
		t.Errorf("%s parses as %v, %v; want %v", HeaderTriggeredAt, at, err, triggered)
	}
}

// TestNewRequestLeavesOutEmptyFields checks that what a Delivery leaves
// empty is absent rather than sent blank, and that the signature is there
// regardless, so that tests can take one header away at a time.
func TestNewRequestLeavesOutEmptyFields(t *testing.T) {
	req, err := NewRequest(context.Background(), "/webhooks/shopify", []byte("s"), Delivery{Topic: "orders/create"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{HeaderShopDomain, HeaderAPIVersion, HeaderWebhookID, HeaderEventID, HeaderTriggeredAt} {
		if v, ok := req.Header[http.CanonicalHeaderKey(name)]; ok {
			t.Errorf("%s sent as %q", name, v)
		}
	}
	if !Verify(nil, req.Header.Get(HeaderHMAC), [][]byte{[]byte("s")}) {
		t.Error("empty body not signed")
	}
	if req.ContentLength != 0 {
		t.Errorf("ContentLength %d, want 0", req.ContentLength)
	}
}

func TestNewRequestBadURL(t *testing.T) {
	if _, err := NewRequest(context.Background(), "http://[::1", nil, Delivery{}); err == nil {
		t.Error("no error for a malformed URL")
	}
}
