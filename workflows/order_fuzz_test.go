package workflows

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDecodeOrder feeds hostile payloads to the order decoder every order
// workflow starts with: nothing panics, only valid JSON can decode, a
// decoded order has everything the workflow relies on, and an error names
// the problem (it is what the operator reads in the dead letter). The
// committed seed corpus (testdata/fuzz/FuzzDecodeOrder) holds Shopify's
// sample payloads of every topic.
func FuzzDecodeOrder(f *testing.F) {
	f.Add([]byte(`{"id":1,"currency":"EUR","total_price":"1.00","line_items":[{"sku":"A","quantity":1,"price":"1.00"}]}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		hook := Webhook{Shop: "fuzz.myshopify.com", Topic: "orders/create", ID: "fuzz", Payload: payload}
		o, err := decodeOrder(hook)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if !json.Valid(payload) {
			t.Fatalf("decoded invalid JSON %q", payload)
		}
		if o.ID <= 0 || o.Currency == "" || o.TotalPrice == "" || o.AdminGraphQLAPIID == "" || len(o.LineItems) == 0 {
			t.Fatalf("decoded an incomplete order: %+v", o)
		}
		for i, li := range o.LineItems {
			if li.Quantity <= 0 || li.Price == "" {
				t.Fatalf("line item %d decoded as %+v", i, li)
			}
		}
		again, err := decodeOrder(hook)
		if err != nil || !reflect.DeepEqual(again, o) {
			t.Fatalf("decoded %+v, then %+v, %v", o, again, err)
		}
		// What the ingress marks as not JSON never decodes.
		if _, err := decodeOrder(Webhook{InvalidBody: payload}); err == nil {
			t.Fatal("decoded a body the ingress found invalid")
		}
	})
}
