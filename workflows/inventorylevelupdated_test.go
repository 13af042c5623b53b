package workflows_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
)

// inventoryLevelBody is an inventory_levels/update payload as Shopify
// sends it.
func inventoryLevelBody(t *testing.T, itemGID, locationGID string, available int, updatedAt time.Time) []byte {
	t.Helper()
	_, item, err := admin.ParseGID(itemGID)
	if err != nil {
		t.Fatal(err)
	}
	_, loc, err := admin.ParseGID(locationGID)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"inventory_item_id": item, "location_id": loc, "available": available,
		"updated_at":           updatedAt.Format(time.RFC3339),
		"admin_graphql_api_id": "gid://shopify/InventoryLevel/1?inventory_item_id=" + strconv.FormatInt(item, 10),
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// seededLevel seeds the stack's shop with one product at one location and
// returns its variant and location.
func seededLevel(t *testing.T, s *testenv.Stack) (shopifysim.Variant, shopifysim.Location) {
	t.Helper()
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: 1, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	catalog, err := s.Shopify.Catalog(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	locs, err := s.Shopify.Locations(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	return catalog[0].Variants[0], locs[0]
}

// Shopify keeps no order among webhooks: an older inventory webhook that
// arrives after a newer one must leave the newer quantity in the ERP.
func TestInventoryLevelUpdatedOlderWebhookLeavesNewerStock(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	v, loc := seededLevel(t, s)
	_, locID, _ := admin.ParseGID(loc.ID)
	erpLocation := strconv.FormatInt(locID, 10)
	older := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	newer := older.Add(30 * time.Second)

	deliver := func(id string, available int, at time.Time) {
		t.Helper()
		if got := s.Deliver(t, "inventory_levels/update", id, inventoryLevelBody(t, v.InventoryItemID, loc.ID, available, at)); got != http.StatusOK {
			t.Fatalf("ingress answered %d to %s, want 200", got, id)
		}
		if err := s.Wait(t, id); err != nil {
			t.Fatalf("workflow of %s failed: %v", id, err)
		}
	}
	deliver("wh-inv-newer", 8, newer)
	deliver("wh-inv-older", 10, older)

	rec, ok := s.ERP.StockRecordOf(v.SKU, erpLocation)
	if !ok || rec.Available != 8 || !rec.Version.Equal(newer) {
		t.Fatalf("ERP stock of %s at %s = %+v (exists %v), want 8 at version %s", v.SKU, erpLocation, rec, ok, newer)
	}
	recordHistory(t, s, "wh-inv-newer", "inventory_level_updated_applied")
	recordHistory(t, s, "wh-inv-older", "inventory_level_updated_stale")

	// A redelivery of the newer one changes nothing either.
	deliver("wh-inv-newer-again", 8, newer)
	if rec, _ := s.ERP.StockRecordOf(v.SKU, erpLocation); rec.Available != 8 {
		t.Fatalf("after a redelivery the ERP holds %d, want 8", rec.Available)
	}
}

func TestInventoryLevelUpdatedInvalidPayloadIsADeadLetter(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	if got := s.Deliver(t, "inventory_levels/update", "wh-inv-bad", []byte(`{"available": 3}`)); got != http.StatusOK {
		t.Fatalf("ingress answered %d, want 200", got)
	}
	var appErr *temporal.ApplicationError
	if err := s.Wait(t, "wh-inv-bad"); !errors.As(err, &appErr) || appErr.Type() != activities.FailureInvalidPayload {
		t.Fatalf("workflow ended with %v, want an ApplicationError of type InvalidPayload", err)
	}
}

// Two changes within one second share Shopify's version: both are
// applied, in arrival order, and neither is refused as a reused key.
func TestInventoryLevelUpdatedSameSecondChanges(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	v, loc := seededLevel(t, s)
	_, locID, _ := admin.ParseGID(loc.ID)
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for i, available := range []int{5, 4} {
		id := "wh-same-second-" + strconv.Itoa(i)
		if got := s.Deliver(t, "inventory_levels/update", id, inventoryLevelBody(t, v.InventoryItemID, loc.ID, available, at)); got != http.StatusOK {
			t.Fatalf("ingress answered %d", got)
		}
		if err := s.Wait(t, id); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	if rec, _ := s.ERP.StockRecordOf(v.SKU, strconv.FormatInt(locID, 10)); rec.Available != 4 {
		t.Fatalf("ERP holds %d, want the later change's 4", rec.Available)
	}
}
