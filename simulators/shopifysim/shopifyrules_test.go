package shopifysim

import (
	"testing"
	"time"
)

// Rules of Shopify's that the conformance suite cannot show in one
// response: what a failed mutation is charged, the loopback webhook flag,
// and a bulk query's run time.

func TestFailedMutationIsCharged(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	r := e.gql(t, `mutation($input: InventorySetQuantitiesInput!) {
	  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { id } userErrors { code } }
	}`, map[string]any{"input": setInput(item, loc, 1, nil)})
	if len(r.Errors) == 0 {
		t.Fatalf("no @idempotent, no error: %s", r.Raw)
	}
	c := r.Extensions.Cost
	// 10 + the group + userErrors, charged in full although it failed.
	if c.RequestedQueryCost != 12 || c.ActualQueryCost == nil || *c.ActualQueryCost != c.RequestedQueryCost {
		t.Errorf("failed mutation cost %+v (actual %v)", c, c.ActualQueryCost)
	}
	if got := c.ThrottleStatus.MaximumAvailable - c.ThrottleStatus.CurrentlyAvailable; got != 12 {
		t.Errorf("bucket spent %v, want 12", got)
	}
}

func TestLoopbackWebhooksFlag(t *testing.T) {
	const create = `mutation($sub: WebhookSubscriptionInput!) {
	  webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: $sub) { webhookSubscription { id } userErrors { field message } }
	}`
	for _, allow := range []bool{true, false} {
		e := newEnv(t, func(c *Config) { c.AllowLoopbackWebhooks = allow })
		for _, uri := range []string{"http://127.0.0.1:8080/webhooks/shopify", "http://localhost:9/x", "http://[::1]:9/x"} {
			r := e.gql(t, create, map[string]any{"sub": map[string]any{"uri": uri}})
			mustNoErrors(t, r)
			refused := len(dig(r.Data, "webhookSubscriptionCreate", "userErrors").([]any)) > 0
			if refused == allow {
				t.Errorf("allow %v: %s refused %v: %s", allow, uri, refused, r.Raw)
			}
		}
		// Never a plain-http public address, flag or not.
		r := e.gql(t, create, map[string]any{"sub": map[string]any{"uri": "http://hooks.example.com/x"}})
		if dig(r.Data, "webhookSubscriptionCreate", "webhookSubscription") != nil {
			t.Errorf("allow %v: plain http accepted: %s", allow, r.Raw)
		}
	}
}

func TestBulkRunTimeFollowsObjectsPerSecond(t *testing.T) {
	// 20 products and 40 variants at 150 objects/s: 0.4 s RUNNING.
	e := newEnv(t, func(c *Config) { c.BulkObjectsPerSecond = 150 })
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 20, VariantsPerProduct: 2, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id")
	poll := func() (string, string) {
		p := e.gql(t, `query($id: ID!) { bulkOperation(id: $id) { status objectCount } }`, map[string]any{"id": id})
		mustNoErrors(t, p)
		s, _ := dig(p.Data, "bulkOperation", "status").(string)
		n, _ := dig(p.Data, "bulkOperation", "objectCount").(string)
		return s, n
	}
	sawProgress := false
	for {
		status, count := poll()
		if status == "COMPLETED" {
			if count != "60" {
				t.Errorf("objectCount %s, want 60", count)
			}
			break
		}
		if status == "RUNNING" && count != "0" && count != "60" {
			sawProgress = true
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("still %s after 5 s", status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if took := time.Since(start); took < 350*time.Millisecond {
		t.Errorf("60 objects at 150/s took %v", took)
	}
	if !sawProgress {
		t.Error("objectCount never grew while RUNNING")
	}

	// A run long enough to cancel.
	r = e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	id = dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id")
	time.Sleep(50 * time.Millisecond)
	c := e.gql(t, cancelBulk, map[string]any{"id": id})
	mustNoErrors(t, c)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if s, _ := poll(); s == "CANCELED" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("cancel: still %s", s)
		}
	}
}
