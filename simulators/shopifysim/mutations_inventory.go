package shopifysim

import (
	"fmt"

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
	path := make([]any, len(fieldPath))
	for i, f := range fieldPath {
		path[i] = fmt.Sprint(f)
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

// requireChangeFrom enforces 2026-04's rule that changeFromQuantity be sent
// (null opts out of the check, absence is an error).
func (ec *execCtx) requireChangeFrom(inputType string, list []map[string]any) error {
	if !versionAtLeast(ec.version, idempotencyRequiredFrom) {
		return nil
	}
	for _, in := range list {
		if _, ok := in["changeFromQuantity"]; !ok {
			return gql.Errorf("INVALID_FIELD_ARGUMENTS", "%s must include the following argument: changeFromQuantity.", inputType)
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

func inventorySetQuantities(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "InventorySetQuantitiesUserError"
	in := gql.ArgObject(args, "input")
	name, reason := gql.ArgString(in, "name"), gql.ArgString(in, "reason")
	quantities := gql.ArgObjects(in, "quantities")
	if err := ec.requireChangeFrom("InventoryQuantityInput", quantities); err != nil {
		return nil, err
	}
	fail := func(path []any, code, msg string) (any, error) {
		return mutationPayload("inventoryAdjustmentGroup", nil, userErr(errType, path, code, msg)), nil
	}
	if name != "available" && name != "on_hand" {
		return fail([]any{"input", "name"}, "INVALID_NAME", "The quantity name must be either 'available' or 'on_hand'.")
	}
	if !inventoryReasons[reason] {
		return fail([]any{"input", "reason"}, "INVALID_REASON", "The specified reason is invalid.")
	}
	var changes []pendingChange
	for i, q := range quantities {
		l, lerr := ec.sh.findLevel(gql.ArgString(q, "inventoryItemId"), gql.ArgString(q, "locationId"))
		if lerr != nil {
			return fail([]any{"input", "quantities", i, lerr.field}, lerr.code, lerr.msg)
		}
		qty, _ := gql.ArgInt(q, "quantity")
		if qty > 1_000_000_000 {
			return fail([]any{"input", "quantities", i, "quantity"}, "INVALID_QUANTITY_TOO_HIGH", "The quantity can't be higher than 1,000,000,000.")
		}
		if qty < -1_000_000_000 {
			return fail([]any{"input", "quantities", i, "quantity"}, "INVALID_QUANTITY_TOO_LOW", "The quantity can't be lower than -1,000,000,000.")
		}
		if ok, _ := staleCheck(q, l.Quantities[name]); !ok {
			return fail([]any{"input", "quantities", i, "changeFromQuantity"}, "CHANGE_FROM_QUANTITY_STALE",
				"The changeFromQuantity value does not match persisted value.")
		}
		changes = append(changes, pendingChange{level: l, name: name, set: true, amount: qty})
	}
	g := ec.applyInventory(reason, gql.ArgString(in, "referenceDocumentUri"), changes)
	return mutationPayload("inventoryAdjustmentGroup", g), nil
}

// adjustableNames are the quantity names inventoryAdjustQuantities accepts.
var adjustableNames = map[string]bool{"available": true, "damaged": true, "incoming": true,
	"quality_control": true, "reserved": true, "safety_stock": true}

func inventoryAdjustQuantities(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "InventoryAdjustQuantitiesUserError"
	in := gql.ArgObject(args, "input")
	name, reason := gql.ArgString(in, "name"), gql.ArgString(in, "reason")
	list := gql.ArgObjects(in, "changes")
	if err := ec.requireChangeFrom("InventoryChangeInput", list); err != nil {
		return nil, err
	}
	fail := func(path []any, code, msg string) (any, error) {
		return mutationPayload("inventoryAdjustmentGroup", nil, userErr(errType, path, code, msg)), nil
	}
	if !adjustableNames[name] {
		return fail([]any{"input", "name"}, "INVALID_QUANTITY_NAME", "The quantity name is not valid for adjustments.")
	}
	if !inventoryReasons[reason] {
		return fail([]any{"input", "reason"}, "INVALID_REASON", "The specified reason is invalid.")
	}
	var changes []pendingChange
	for i, c := range list {
		l, lerr := ec.sh.findLevel(gql.ArgString(c, "inventoryItemId"), gql.ArgString(c, "locationId"))
		if lerr != nil {
			return fail([]any{"input", "changes", i, lerr.field}, lerr.code, lerr.msg)
		}
		if name != "available" && gql.ArgString(c, "ledgerDocumentUri") == "" {
			return fail([]any{"input", "changes", i, "ledgerDocumentUri"}, "INVALID_QUANTITY_DOCUMENT",
				"A ledger document URI is required for quantity names other than available.")
		}
		if ok, _ := staleCheck(c, l.Quantities[name]); !ok {
			return fail([]any{"input", "changes", i, "changeFromQuantity"}, "CHANGE_FROM_QUANTITY_STALE",
				"The changeFromQuantity value does not match persisted value.")
		}
		delta, _ := gql.ArgInt(c, "delta")
		changes = append(changes, pendingChange{level: l, name: name, amount: delta, ledger: gql.ArgString(c, "ledgerDocumentUri")})
	}
	g := ec.applyInventory(reason, gql.ArgString(in, "referenceDocumentUri"), changes)
	return mutationPayload("inventoryAdjustmentGroup", g), nil
}

func inventoryMoveQuantities(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	const errType = "InventoryMoveQuantitiesUserError"
	in := gql.ArgObject(args, "input")
	reason := gql.ArgString(in, "reason")
	fail := func(path []any, code, msg string) (any, error) {
		return mutationPayload("inventoryAdjustmentGroup", nil, userErr(errType, path, code, msg)), nil
	}
	if !inventoryReasons[reason] {
		return fail([]any{"input", "reason"}, "INVALID_REASON", "The specified reason is invalid.")
	}
	var changes []pendingChange
	for i, c := range gql.ArgObjects(in, "changes") {
		qty, _ := gql.ArgInt(c, "quantity")
		if qty <= 0 {
			return fail([]any{"input", "changes", i, "quantity"}, "INVALID_QUANTITY_NEGATIVE", "The quantity must be positive.")
		}
		for _, side := range []string{"from", "to"} {
			t := gql.ArgObject(c, side)
			l, lerr := ec.sh.findLevel(gql.ArgString(c, "inventoryItemId"), gql.ArgString(t, "locationId"))
			if lerr != nil {
				return fail([]any{"input", "changes", i, side, lerr.field}, lerr.code, lerr.msg)
			}
			name := gql.ArgString(t, "name")
			if !validQuantityName(name) || name == "on_hand" && side == "from" {
				return fail([]any{"input", "changes", i, side, "name"}, "INVALID_QUANTITY_NAME", "The quantity name is not valid.")
			}
			if ok, _ := staleCheck(t, l.Quantities[name]); !ok {
				return fail([]any{"input", "changes", i, side, "changeFromQuantity"}, "CHANGE_FROM_QUANTITY_STALE",
					"The changeFromQuantity value does not match persisted value.")
			}
			amount := qty
			if side == "from" {
				amount = -qty
			}
			changes = append(changes, pendingChange{level: l, name: name, amount: amount, ledger: gql.ArgString(t, "ledgerDocumentUri")})
		}
	}
	g := ec.applyInventory(reason, gql.ArgString(in, "referenceDocumentUri"), changes)
	return mutationPayload("inventoryAdjustmentGroup", g), nil
}
