package shopifysim

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// inventoryReasons are the reasons Shopify accepts for inventory changes.
var inventoryReasons = map[string]bool{
	"correction": true, "cycle_count_available": true, "damaged": true, "movement_created": true,
	"movement_updated": true, "movement_received": true, "movement_canceled": true, "other": true,
	"promotion": true, "quality_control": true, "received": true, "reservation_created": true,
	"reservation_deleted": true, "reservation_updated": true, "restock": true, "safety_stock": true,
	"shrinkage": true,
}

// userErr builds a user error of the given type; code may be empty for
// the plain UserError type.
func userErr(typ string, fieldPath []any, code, msg string) *gql.Object {
	// The schema types field as [String!]: list indexes go out as strings,
	// as Shopify sends them.
	// A nil path is "field": null, as Shopify sends for errors about
	// the request as a whole.
	var path []any
	if fieldPath != nil {
		path = make([]any, len(fieldPath))
		for i, f := range fieldPath {
			path[i] = fmt.Sprint(f)
		}
	}
	fields := map[string]any{"field": path, "message": msg}
	if code != "" {
		fields["code"] = code
	}
	return gql.Obj(typ, fields)
}

// mutationPayload builds a payload with one result field and user errors.
func mutationPayload(resultField string, result any, errs ...*gql.Object) *gql.Object {
	if errs == nil {
		errs = []*gql.Object{}
	}
	return gql.Obj("", map[string]any{resultField: result, "userErrors": errs})
}

// pendingChange is a validated change waiting to be applied.
type pendingChange struct {
	level  *inventoryLevel
	name   string
	set    bool // absolute (set) rather than delta
	amount int
	ledger string
}

// applyInventory applies validated changes, records an adjustment group
// and emits inventory_levels/update per level. Callers hold mu for writing.
func (ec *execCtx) applyInventory(reason, ref string, changes []pendingChange) *adjustmentGroup {
	sh := ec.sh
	now := sh.now()
	g := &adjustmentGroup{ID: sh.id(), Reason: reason, RefURI: ref, CreatedAt: now}
	touched := map[*inventoryLevel]bool{}
	var order []*inventoryLevel
	for _, c := range changes {
		l := c.level
		beforeName, beforeOnHand := l.Quantities[c.name], l.Quantities["on_hand"]
		target := beforeName + c.amount
		if c.set {
			target = c.amount
		}
		l.setQuantity(c.name, target)
		l.UpdatedAt = now
		l.Item.UpdatedAt = now
		g.Changes = append(g.Changes, inventoryChange{Name: c.name, Delta: target - beforeName,
			After: l.Quantities[c.name], Item: l.Item, Location: l.Location, Ledger: c.ledger})
		if c.name != "on_hand" && l.Quantities["on_hand"] != beforeOnHand {
			g.Changes = append(g.Changes, inventoryChange{Name: "on_hand", Delta: l.Quantities["on_hand"] - beforeOnHand,
				After: l.Quantities["on_hand"], Item: l.Item, Location: l.Location})
		}
		if !touched[l] {
			touched[l] = true
			order = append(order, l)
		}
	}
	sh.adjGroups[g.ID] = g
	for _, l := range order {
		sh.emit("inventory_levels/update", inventoryLevelPayload(l))
	}
	ec.applied = true
	return g
}

// levelError says why findLevel found no inventory level: code, field and
// message are the user error Shopify's inventory mutations return; as an
// error it wraps ErrNotFound for the Go and admin APIs.
type levelError struct {
	code, field, msg string
}

func (e *levelError) Error() string { return e.msg }

func (e *levelError) Unwrap() error { return ErrNotFound }

// findLevel resolves item and location ids (GIDs or bare numbers) to the
// item's inventory level at that location. It is the one lookup both the
// GraphQL mutations and the Go API use, so they agree on what exists.
// Callers hold mu.
func (sh *shop) findLevel(itemID, locationID string) (*inventoryLevel, *levelError) {
	iid, _ := gql.ParseID(itemID, "InventoryItem")
	it := sh.itemByID[iid]
	if it == nil {
		return nil, &levelError{"INVALID_INVENTORY_ITEM", "inventoryItemId", "The specified inventory item could not be found."}
	}
	lid, _ := gql.ParseID(locationID, "Location")
	loc := sh.locByID[lid]
	if loc == nil {
		return nil, &levelError{"INVALID_LOCATION", "locationId", "The specified location could not be found."}
	}
	for _, l := range it.Levels {
		if l.Location == loc {
			return l, nil
		}
	}
	return nil, &levelError{"ITEM_NOT_STOCKED_AT_LOCATION", "inventoryItemId", "The specified inventory item is not stocked at the location."}
}

// staleCheck applies compare-and-swap: a non-null changeFromQuantity must
// equal the persisted quantity.
func staleCheck(in map[string]any, current int) (bool, error) {
	v, present := in["changeFromQuantity"]
	if !present || v == nil {
		return true, nil
	}
	want, ok := gql.ToInt(v)
	return ok && want == current, nil
}

// changeFromInputs names, per inventory mutation, the input type and list
// whose entries must carry changeFromQuantity from 2026-04.
var changeFromInputs = map[string][2]string{
	"inventorySetQuantities":    {"InventoryQuantityInput", "quantities"},
	"inventoryAdjustQuantities": {"InventoryChangeInput", "changes"},
}

// requireChangeFrom enforces 2026-04's rule that changeFromQuantity be sent
// (null opts out of the check, absence is an error) on mutation field's
// inputs; it returns nil when the rule holds or does not apply.
func (ec *execCtx) requireChangeFrom(field string, args map[string]any) error {
	spec, ok := changeFromInputs[field]
	if !ok || !versionAtLeast(ec.version, idempotencyRequiredFrom) {
		return nil
	}
	for _, in := range gql.ArgObjects(gql.ArgObject(args, "input"), spec[1]) {
		if _, ok := in["changeFromQuantity"]; !ok {
			return gql.Errorf("INVALID_FIELD_ARGUMENTS", "%s must include the following argument: changeFromQuantity.", spec[0])
		}
	}
	return nil
}

func init() {
	register("Mutation", map[string]resolver{
		"inventorySetQuantities":    idempotent(inventorySetQuantities),
		"inventoryAdjustQuantities": idempotent(inventoryAdjustQuantities),
		"inventoryMoveQuantities":   idempotent(inventoryMoveQuantities),
	})
}

// userErrors collects a mutation's user errors: Shopify validates every
// input and returns all its errors, not only the first.
type userErrors struct {
	typ  string
	list []*gql.Object
}

func (u *userErrors) add(path []any, code, msg string) {
	u.list = append(u.list, userErr(u.typ, path, code, msg))
}

// inventoryPayload is the payload of an inventory mutation: the adjustment
// group, or null with the user errors.
func (u *userErrors) inventoryPayload(g *adjustmentGroup) *gql.Object {
	if len(u.list) > 0 || g == nil {
		return mutationPayload("inventoryAdjustmentGroup", nil, u.list...)
	}
	return mutationPayload("inventoryAdjustmentGroup", g)
}

// checkReason validates a mutation's reason and reference document.
func (u *userErrors) checkReason(in map[string]any) {
	if !inventoryReasons[gql.ArgString(in, "reason")] {
		u.add([]any{"input", "reason"}, "INVALID_REASON", "The specified reason is invalid.")
	}
	if ref := gql.ArgString(in, "referenceDocumentUri"); ref != "" && !strings.Contains(ref, "://") {
		u.add([]any{"input", "referenceDocumentUri"}, "INVALID_REFERENCE_DOCUMENT", "The reference document URI is invalid.")
	}
}

func inventorySetQuantities(ec *execCtx, _ any, f *ast.Field, args map[string]any) (any, error) {
	if err := ec.requireChangeFrom(f.Name, args); err != nil {
		return nil, err
	}
	errs := &userErrors{typ: "InventorySetQuantitiesUserError"}
	in := gql.ArgObject(args, "input")
	name := gql.ArgString(in, "name")
	if name != "available" && name != "on_hand" {
		errs.add([]any{"input", "name"}, "INVALID_NAME", "The quantity name must be either 'available' or 'on_hand'.")
	}
	errs.checkReason(in)
	var changes []pendingChange
	seen := map[*inventoryLevel]bool{}
	for i, q := range gql.ArgObjects(in, "quantities") {
		at := func(fld string) []any { return []any{"input", "quantities", i, fld} }
		l, lerr := ec.sh.findLevel(gql.ArgString(q, "inventoryItemId"), gql.ArgString(q, "locationId"))
		if lerr != nil {
			errs.add(at(lerr.field), lerr.code, lerr.msg)
			continue
		}
		if seen[l] {
			errs.add(at("locationId"), "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
				"The combination of inventoryItemId and locationId must be unique.")
			continue
		}
		seen[l] = true
		qty, _ := gql.ArgInt(q, "quantity")
		switch {
		case qty > 1_000_000_000:
			errs.add(at("quantity"), "INVALID_QUANTITY_TOO_HIGH", "The quantity can't be higher than 1,000,000,000.")
			continue
		case qty < -1_000_000_000:
			errs.add(at("quantity"), "INVALID_QUANTITY_TOO_LOW", "The quantity can't be lower than -1,000,000,000.")
			continue
		case qty < 0 && name == "on_hand":
			errs.add(at("quantity"), "INVALID_QUANTITY_NEGATIVE", "The quantity can't be negative.")
			continue
		}
		if name == "available" || name == "on_hand" {
			if ok, _ := staleCheck(q, l.Quantities[name]); !ok {
				errs.add(at("changeFromQuantity"), "CHANGE_FROM_QUANTITY_STALE",
					"The changeFromQuantity value does not match persisted value.")
				continue
			}
			// Shopify records no change, and returns no adjustment group,
			// for a quantity already at its target.
			if l.Quantities[name] != qty {
				changes = append(changes, pendingChange{level: l, name: name, set: true, amount: qty})
			}
		}
	}
	if len(errs.list) > 0 || len(changes) == 0 {
		return errs.inventoryPayload(nil), nil
	}
	return errs.inventoryPayload(ec.applyInventory(gql.ArgString(in, "reason"), gql.ArgString(in, "referenceDocumentUri"), changes)), nil
}

// adjustableNames are the quantity names inventoryAdjustQuantities accepts.
var adjustableNames = map[string]bool{"available": true, "damaged": true, "incoming": true,
	"quality_control": true, "reserved": true, "safety_stock": true}

func inventoryAdjustQuantities(ec *execCtx, _ any, f *ast.Field, args map[string]any) (any, error) {
	if err := ec.requireChangeFrom(f.Name, args); err != nil {
		return nil, err
	}
	errs := &userErrors{typ: "InventoryAdjustQuantitiesUserError"}
	in := gql.ArgObject(args, "input")
	name := gql.ArgString(in, "name")
	if !adjustableNames[name] {
		errs.add([]any{"input", "name"}, "INVALID_QUANTITY_NAME", "The quantity name is not valid for adjustments.")
	}
	errs.checkReason(in)
	var changes []pendingChange
	for i, c := range gql.ArgObjects(in, "changes") {
		at := func(fld string) []any { return []any{"input", "changes", i, fld} }
		l, lerr := ec.sh.findLevel(gql.ArgString(c, "inventoryItemId"), gql.ArgString(c, "locationId"))
		if lerr != nil {
			errs.add(at(lerr.field), lerr.code, lerr.msg)
			continue
		}
		if name != "available" && adjustableNames[name] && gql.ArgString(c, "ledgerDocumentUri") == "" {
			errs.add(at("ledgerDocumentUri"), "INVALID_QUANTITY_DOCUMENT",
				"A ledger document URI is required for quantity names other than available.")
			continue
		}
		if ok, _ := staleCheck(c, l.Quantities[name]); !ok {
			errs.add(at("changeFromQuantity"), "CHANGE_FROM_QUANTITY_STALE",
				"The changeFromQuantity value does not match persisted value.")
			continue
		}
		delta, _ := gql.ArgInt(c, "delta")
		changes = append(changes, pendingChange{level: l, name: name, amount: delta, ledger: gql.ArgString(c, "ledgerDocumentUri")})
	}
	if len(errs.list) > 0 || len(changes) == 0 {
		return errs.inventoryPayload(nil), nil
	}
	return errs.inventoryPayload(ec.applyInventory(gql.ArgString(in, "reason"), gql.ArgString(in, "referenceDocumentUri"), changes)), nil
}

// movableNames are the quantity names stock can be moved between:
// committed follows orders and on_hand is the sum, so neither moves.
var movableNames = map[string]bool{"available": true, "damaged": true, "incoming": true,
	"quality_control": true, "reserved": true, "safety_stock": true}

func inventoryMoveQuantities(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	errs := &userErrors{typ: "InventoryMoveQuantitiesUserError"}
	in := gql.ArgObject(args, "input")
	errs.checkReason(in)
	var changes []pendingChange
	for i, c := range gql.ArgObjects(in, "changes") {
		at := func(p ...any) []any { return append([]any{"input", "changes", i}, p...) }
		qty, _ := gql.ArgInt(c, "quantity")
		if qty <= 0 {
			errs.add(at("quantity"), "INVALID_QUANTITY_NEGATIVE", "The quantity must be positive.")
			continue
		}
		from, to := gql.ArgObject(c, "from"), gql.ArgObject(c, "to")
		if gql.ArgString(from, "locationId") != gql.ArgString(to, "locationId") {
			errs.add(at("to", "locationId"), "DIFFERENT_LOCATIONS", "The quantities can't be moved between different locations.")
			continue
		}
		if gql.ArgString(from, "name") == gql.ArgString(to, "name") {
			errs.add(at("to", "name"), "SAME_QUANTITY_NAME", "The quantity names for each change can't be the same.")
			continue
		}
		var pending []pendingChange
		for _, side := range []string{"from", "to"} {
			t := gql.ArgObject(c, side)
			l, lerr := ec.sh.findLevel(gql.ArgString(c, "inventoryItemId"), gql.ArgString(t, "locationId"))
			if lerr != nil {
				errs.add(at(side, lerr.field), lerr.code, lerr.msg)
				break
			}
			name := gql.ArgString(t, "name")
			if !movableNames[name] {
				errs.add(at(side, "name"), "INVALID_QUANTITY_NAME", "The quantity name is not valid.")
				break
			}
			if ok, _ := staleCheck(t, l.Quantities[name]); !ok {
				errs.add(at(side, "changeFromQuantity"), "CHANGE_FROM_QUANTITY_STALE",
					"The changeFromQuantity value does not match persisted value.")
				break
			}
			amount := qty
			if side == "from" {
				amount = -qty
			}
			pending = append(pending, pendingChange{level: l, name: name, amount: amount, ledger: gql.ArgString(t, "ledgerDocumentUri")})
		}
		if len(pending) == 2 {
			changes = append(changes, pending...)
		}
	}
	if len(errs.list) > 0 || len(changes) == 0 {
		return errs.inventoryPayload(nil), nil
	}
	g := ec.applyInventory(gql.ArgString(in, "reason"), gql.ArgString(in, "referenceDocumentUri"), changes)
	// A move between two states inside on_hand leaves on_hand as it was:
	// Shopify lists only the two states moved between.
	net := map[*inventoryItem]map[*location]int{}
	for _, c := range g.Changes {
		if c.Name == "on_hand" {
			if net[c.Item] == nil {
				net[c.Item] = map[*location]int{}
			}
			net[c.Item][c.Location] += c.Delta
		}
	}
	kept := g.Changes[:0]
	for _, c := range g.Changes {
		if c.Name != "on_hand" || net[c.Item][c.Location] != 0 {
			kept = append(kept, c)
		}
	}
	g.Changes = kept
	return errs.inventoryPayload(g), nil
}
