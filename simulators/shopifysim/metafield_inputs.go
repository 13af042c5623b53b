package shopifysim

import (
	"strconv"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// MetafieldInput is how catalog mutations (productVariantsBulkUpdate,
// productSet) set metafields along with the resource: an entry either
// names an existing metafield of the owner by id and gives its new value,
// or gives namespace (the app's when omitted), key, type and value,
// creating the metafield or updating the one with that namespace and key.

// metafieldWrite is a validated MetafieldInput waiting to be applied.
type metafieldWrite struct {
	existing            *metafield // nil: create
	ns, key, typ, value string
}

// metafieldProblem is why one MetafieldInput is refused: the input's
// field (relative to the entry) and a message.
type metafieldProblem struct {
	index int
	field string
	msg   string
}

// path is the problem's field path below prefix, e.g.
// ["variants","0","metafields","1","value"].
func (p metafieldProblem) path(prefix ...any) []any {
	return append(append(prefix, "metafields", strconv.Itoa(p.index)), p.field)
}

// checkMetafieldInputs validates ins against the owner's metafields.
func (sh *shop) checkMetafieldInputs(list []*metafield, ins []map[string]any) ([]metafieldWrite, []metafieldProblem) {
	var writes []metafieldWrite
	var problems []metafieldProblem
	for i, in := range ins {
		bad := func(field, msg string) { problems = append(problems, metafieldProblem{i, field, msg}) }
		w := metafieldWrite{value: gql.ArgString(in, "value"), typ: gql.ArgString(in, "type")}
		if id := gql.ArgString(in, "id"); id != "" {
			n, _ := gql.ParseID(id, "Metafield")
			for _, m := range list {
				if m.ID == n {
					w.existing = m
				}
			}
			if w.existing == nil {
				bad("id", "Metafield does not exist")
				continue
			}
		} else {
			w.ns, w.key = gql.ArgString(in, "namespace"), gql.ArgString(in, "key")
			if w.ns == "" {
				w.ns = defaultMetafieldNamespace
			}
			if len(w.key) < 2 {
				bad("key", "Key is too short (minimum is 2 characters)")
				continue
			}
			for _, m := range list {
				if m.Namespace == w.ns && m.Key == w.key {
					w.existing = m
				}
			}
		}
		if w.existing == nil && w.typ == "" {
			bad("type", "Type can't be blank")
			continue
		}
		if w.typ != "" && !knownMetafieldType(w.typ) {
			bad("type", "Type is not a valid metafield type.")
			continue
		}
		if w.existing != nil {
			if w.typ != "" && w.typ != w.existing.Type {
				bad("type", "Type must match the existing metafield's type.")
				continue
			}
			w.typ = w.existing.Type
		}
		if _, given := in["value"]; !given {
			bad("value", "Value can't be blank")
			continue
		}
		if msg := invalidMetafieldValue(w.typ, w.value); msg != "" {
			bad("value", msg)
			continue
		}
		writes = append(writes, w)
	}
	return writes, problems
}

// applyMetafieldWrites applies validated writes to owner. Callers hold mu
// for writing.
func (sh *shop) applyMetafieldWrites(owner *metafieldOwner, writes []metafieldWrite) {
	created, now := sh.now(), sh.sim.clock().UTC()
	for _, w := range writes {
		m := w.existing
		if m == nil {
			m = &metafield{ID: sh.id(), OwnerGID: owner.gid, OwnerType: owner.typ,
				Namespace: w.ns, Key: w.key, Type: w.typ, CreatedAt: created}
			*owner.list = append(*owner.list, m)
			sh.metafields[m.ID] = m
		}
		m.Value, m.UpdatedAt = w.value, now
	}
}
