package shopifysim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const setQuantities = `mutation Set($key: String!, $input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}`

func seededItem(t *testing.T, e *testEnv) (itemID, locationID string) {
	t.Helper()
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 2, VariantsPerProduct: 1, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	cat, _ := e.sim.Catalog(testShop)
	locs, _ := e.sim.Locations(testShop)
	return cat[0].Variants[0].InventoryItemID, locs[0].ID
}

func setInput(item, loc string, qty int, changeFrom any) map[string]any {
	return map[string]any{
		"name": "available", "reason": "correction",
		"quantities": []any{map[string]any{
			"inventoryItemId": item, "locationId": loc, "quantity": qty, "changeFromQuantity": changeFrom,
		}},
	}
}

func TestIdempotentSetQuantities(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	before, _ := e.sim.Quantities(testShop, item, loc)

	vars := map[string]any{"key": "k-1", "input": setInput(item, loc, 42, before["available"])}
	r1 := e.gql(t, setQuantities, vars)
	mustNoErrors(t, r1)
	if errs := dig(r1.Data, "inventorySetQuantities", "userErrors").([]any); len(errs) != 0 {
		t.Fatalf("user errors %v", errs)
	}
	// 10, plus the group, its changes, their item and location, userErrors.
	if r1.Extensions.Cost.RequestedQueryCost != 15 {
		t.Errorf("mutation cost %v", r1.Extensions.Cost.RequestedQueryCost)
	}
	groupID := dig(r1.Data, "inventorySetQuantities", "inventoryAdjustmentGroup", "id")

	// Someone else changes the stock; a retry of the first request must not
	// apply again, and must return the original result.
	e.sim.SetStock(testShop, item, loc, "available", 7)
	r2 := e.gql(t, setQuantities, vars)
	mustNoErrors(t, r2)
	if got := dig(r2.Data, "inventorySetQuantities", "inventoryAdjustmentGroup", "id"); got != groupID {
		t.Errorf("replay returned group %v, want %v", got, groupID)
	}
	if q, _ := e.sim.Quantities(testShop, item, loc); q["available"] != 7 {
		t.Errorf("retry was applied again: available %d", q["available"])
	}
	st := e.sim.Stats(testShop)
	if st.MutationsApplied["k-1"] != 1 || st.IdempotentReplays != 1 {
		t.Errorf("applied %v replays %d", st.MutationsApplied, st.IdempotentReplays)
	}

	// Same key, other input.
	r3 := e.gql(t, setQuantities, map[string]any{"key": "k-1", "input": setInput(item, loc, 43, nil)})
	mustNoErrors(t, r3)
	if dig(r3.Data, "inventorySetQuantities", "userErrors", 0, "code") != "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" {
		t.Errorf("mismatch: %s", r3.Raw)
	}

	// Keys expire after 24 hours: the same key then runs again.
	e.clock.advance(24*time.Hour + time.Second)
	r4 := e.gql(t, setQuantities, map[string]any{"key": "k-1", "input": setInput(item, loc, 43, nil)})
	mustNoErrors(t, r4)
	if q, _ := e.sim.Quantities(testShop, item, loc); q["available"] != 43 {
		t.Errorf("after expiry available %d", q["available"])
	}
}

func TestIdempotentDirectiveRequiredFrom202604(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	q := `mutation($input: InventorySetQuantitiesInput!) {
	  inventorySetQuantities(input: $input) { userErrors { code } }
	}`
	vars := map[string]any{"input": setInput(item, loc, 5, nil)}
	r := e.gqlVersion(t, "2026-04", q, vars)
	if len(r.Errors) != 1 ||
		r.Errors[0]["message"] != "The @idempotent directive is required for this mutation but was not provided." ||
		dig(r.Errors[0], "extensions", "code") != "BAD_REQUEST" ||
		dig(r.Errors[0], "path", 0) != "inventorySetQuantities" {
		t.Fatalf("got %s", r.Raw)
	}
	if v, ok := r.Data["inventorySetQuantities"]; !ok || v != nil {
		t.Errorf("data %v", r.Data)
	}
	// Before 2026-04 the directive is optional.
	r = e.gqlVersion(t, "2026-01", q, vars)
	mustNoErrors(t, r)
	if q, _ := e.sim.Quantities(testShop, item, loc); q["available"] != 5 {
		t.Errorf("2026-01 without key: available %d", q["available"])
	}
}

func TestChangeFromQuantityRequiredAndStale(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	cur, _ := e.sim.Quantities(testShop, item, loc)
	r := e.gql(t, setQuantities, map[string]any{"key": "stale-1", "input": setInput(item, loc, 9, cur["available"]+1)})
	mustNoErrors(t, r)
	if dig(r.Data, "inventorySetQuantities", "userErrors", 0, "code") != "CHANGE_FROM_QUANTITY_STALE" ||
		dig(r.Data, "inventorySetQuantities", "inventoryAdjustmentGroup") != nil {
		t.Errorf("stale: %s", r.Raw)
	}
	if q, _ := e.sim.Quantities(testShop, item, loc); q["available"] != cur["available"] {
		t.Errorf("stale write applied")
	}
	if n := e.sim.Stats(testShop).MutationsApplied["stale-1"]; n != 0 {
		t.Errorf("stale counted as applied %d", n)
	}
	// Omitting changeFromQuantity altogether is refused since 2026-04.
	in := setInput(item, loc, 9, nil)
	delete(in["quantities"].([]any)[0].(map[string]any), "changeFromQuantity")
	r = e.gql(t, setQuantities, map[string]any{"key": "stale-2", "input": in})
	if len(r.Errors) != 1 || dig(r.Errors[0], "extensions", "code") != "INVALID_FIELD_ARGUMENTS" {
		t.Errorf("missing changeFromQuantity: %s", r.Raw)
	}
}

func TestAdjustQuantitiesEmitsAndApplies(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	cur, _ := e.sim.Quantities(testShop, item, loc)
	q := `mutation($input: InventoryAdjustQuantitiesInput!) {
	  inventoryAdjustQuantities(input: $input) @idempotent(key: "adj-1") {
	    inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
	    userErrors { code message }
	  }
	}`
	vars := map[string]any{"input": map[string]any{"name": "available", "reason": "restock", "changes": []any{
		map[string]any{"delta": 5, "inventoryItemId": item, "locationId": loc, "changeFromQuantity": nil},
	}}}
	for range 2 {
		mustNoErrors(t, e.gql(t, q, vars))
	}
	if got, _ := e.sim.Quantities(testShop, item, loc); got["available"] != cur["available"]+5 || got["on_hand"] != cur["on_hand"]+5 {
		t.Errorf("adjusted twice or on_hand off: %v → %v", cur, got)
	}
}

func TestIdempotencyKeysExpireOldestFirst(t *testing.T) {
	var expired []string
	s := newIdempotencyStore(func(key string) { expired = append(expired, key) })
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	s.store("a", "f", nil, t0)
	s.store("b", "f", nil, t0.Add(12*time.Hour))
	if s.lookup("a", t0.Add(24*time.Hour-time.Second)) == nil {
		t.Fatal("a expired early")
	}
	if s.lookup("a", t0.Add(24*time.Hour)) != nil {
		t.Error("a outlived 24 h")
	}
	if s.lookup("b", t0.Add(24*time.Hour)) == nil {
		t.Error("b expired with a")
	}
	if len(expired) != 1 || expired[0] != "a" || len(s.queue) != 1 || len(s.entries) != 1 {
		t.Errorf("expired %v, queue %d, entries %d", expired, len(s.queue), len(s.entries))
	}
}

// Stats.MutationsApplied must not keep every key ever used.
func TestMutationsAppliedDroppedWithKey(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	r := e.gql(t, setQuantities, map[string]any{"key": "old", "input": setInput(item, loc, 5, nil)})
	mustNoErrors(t, r)
	if n := e.sim.Stats(testShop).MutationsApplied["old"]; n != 1 {
		t.Fatalf("applied %d", n)
	}
	e.clock.advance(24 * time.Hour)
	r = e.gql(t, setQuantities, map[string]any{"key": "new", "input": setInput(item, loc, 6, nil)})
	mustNoErrors(t, r)
	if got := e.sim.Stats(testShop).MutationsApplied; len(got) != 1 || got["new"] != 1 {
		t.Errorf("MutationsApplied %v, want only the live key", got)
	}
}

// The Go API and the GraphQL mutations share one level lookup, so an
// unknown location is reported as such, not as an unstocked item.
func TestLevelLookupErrors(t *testing.T) {
	e := newEnv(t, nil)
	item, loc := seededItem(t, e)
	for _, c := range []struct{ item, loc, want string }{
		{"gid://shopify/InventoryItem/1", loc, "inventory item could not be found"},
		{item, "gid://shopify/Location/1", "location could not be found"},
	} {
		_, err := e.sim.Quantities(testShop, c.item, c.loc)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(fmt.Sprint(err), c.want) {
			t.Errorf("Quantities(%s, %s): %v", c.item, c.loc, err)
		}
	}
}
