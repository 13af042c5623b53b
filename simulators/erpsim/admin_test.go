package erpsim

import (
	"encoding/json"
	"testing"
)

func TestAdminOrdersStatsAndReset(t *testing.T) {
	s, ts := testServer(t, Options{})
	resp, body := send(t, ts, "POST", "/v1/invoices", invoiceBody, key("acme:1:invoice"))
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var inv Invoice
	json.Unmarshal([]byte(body), &inv)
	ful := `{"shop":"acme.myshopify.com","order_id":1,"invoice_id":"` + inv.ID + `","lines":[{"sku":"MUG","quantity":1}]}`
	if resp, body := send(t, ts, "POST", "/v1/fulfillment-requests", ful, key("acme:1:ful")); resp.StatusCode != 201 {
		t.Fatalf("fulfil: %d %s", resp.StatusCode, body)
	}
	send(t, ts, "POST", "/v1/invoices", invoiceBody, key("acme:1:invoice")) // a replay

	_, body = send(t, ts, "GET", "/admin/orders/acme.myshopify.com/1", "", nil)
	var rec orderRecords
	if err := json.Unmarshal([]byte(body), &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Invoices) != 1 || rec.Invoices[0].ID != inv.ID || len(rec.FulfillmentRequests) != 1 || rec.FulfillmentRequests[0].InvoiceID != inv.ID {
		t.Errorf("ground truth = %s", body)
	}
	if _, body = send(t, ts, "GET", "/admin/orders/acme.myshopify.com/2", "", nil); body != `{"invoices":[],"fulfillment_requests":[]}`+"\n" {
		t.Errorf("empty order = %s, want empty lists", body)
	}

	_, body = send(t, ts, "GET", "/admin/stats", "", nil)
	var st Stats
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	if st.Requests["POST /v1/invoices"]["201"] != 2 || st.Requests["POST /v1/fulfillment-requests"]["201"] != 1 || st.IdempotentReplays != 1 || st.KeysStored != 2 {
		t.Errorf("stats = %s", body)
	}

	if resp, _ := send(t, ts, "POST", "/admin/reset", "", nil); resp.StatusCode != 204 {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if invs, fuls := s.OrderRecords("acme.myshopify.com", 1); len(invs) != 0 || len(fuls) != 0 {
		t.Error("reset kept data")
	}
	// Keys are gone too: the same key now creates a new invoice.
	_, body = send(t, ts, "POST", "/v1/invoices", invoiceBody, key("acme:1:invoice"))
	var again Invoice
	json.Unmarshal([]byte(body), &again)
	if again.ID == "" || again.ID == inv.ID {
		t.Errorf("after reset got %s, want a new invoice", body)
	}
}

func TestStrictSKUs(t *testing.T) {
	s, ts := testServer(t, Options{StrictSKUs: true})
	resp, body := send(t, ts, "POST", "/v1/invoices", invoiceBody, key("k1"))
	if resp.StatusCode != 422 || errorCode(t, body) != CodeUnknownSKU {
		t.Fatalf("unknown SKU: %d %s, want 422 unknown_sku", resp.StatusCode, body)
	}
	if _, err := s.PutProduct(Product{SKU: "MUG", Name: "Mug", ShopifyProductID: 9}); err != nil {
		t.Fatal(err)
	}
	if resp, body := send(t, ts, "POST", "/v1/invoices", invoiceBody, key("k2")); resp.StatusCode != 201 {
		t.Errorf("known SKU: %d %s", resp.StatusCode, body)
	}
	if _, err := s.PutProduct(Product{SKU: "X"}); err == nil {
		t.Error("PutProduct accepted a product without name and Shopify ID")
	}
}
