package shopifysim

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Metafield is a snapshot of a simulated product metafield.
type Metafield struct {
	OwnerID   string    `json:"ownerId"` // the product's GID
	Namespace string    `json:"namespace"`
	Key       string    `json:"key"`
	Type      string    `json:"type"`
	Value     string    `json:"value"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// ProductMetafields returns the metafields of every product of the shop in
// namespace ("" for every namespace), by product GID, each product's in
// namespace and key order: the full snapshot tests compare before and
// after a backfill or a rollback. It costs nothing of the bucket.
func (s *Simulator) ProductMetafields(shopDomain, namespace string) (map[string][]Metafield, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return nil, err
	}
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	out := map[string][]Metafield{}
	for _, p := range sh.products {
		gid := gql.GID("Product", p.ID)
		for _, m := range p.Metafields {
			if namespace != "" && m.Namespace != namespace {
				continue
			}
			out[gid] = append(out[gid], Metafield{OwnerID: gid, Namespace: m.Namespace, Key: m.Key,
				Type: m.Type, Value: m.Value, UpdatedAt: m.UpdatedAt})
		}
		slices.SortFunc(out[gid], func(a, b Metafield) int {
			if a.Namespace != b.Namespace {
				return compareStrings(a.Namespace, b.Namespace)
			}
			return compareStrings(a.Key, b.Key)
		})
	}
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// SetProductMetafield creates or updates a product's metafield directly,
// as a merchant editing it in the admin would: no bucket cost, no webhook.
// Tests use it to seed metafields and to edit one behind a backfill's back.
func (s *Simulator) SetProductMetafield(shopDomain string, m Metafield) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	if m.Namespace == "" || len(m.Key) < 2 || m.Type == "" {
		return fmt.Errorf("shopifysim: a metafield needs a namespace, a key of 2 characters or more and a type")
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var owner *product
	if id, ok := gql.ParseID(m.OwnerID, "Product"); ok {
		owner = sh.productByID[id]
	}
	if owner == nil {
		return fmt.Errorf("shopifysim: product %q: %w", m.OwnerID, ErrNotFound)
	}
	now := sh.sim.clock().UTC()
	for _, existing := range owner.Metafields {
		if existing.Namespace == m.Namespace && existing.Key == m.Key {
			existing.Type, existing.Value, existing.UpdatedAt = m.Type, m.Value, now
			return nil
		}
	}
	mf := &metafield{ID: sh.id(), OwnerGID: gql.GID("Product", owner.ID), OwnerType: "PRODUCT",
		Namespace: m.Namespace, Key: m.Key, Type: m.Type, Value: m.Value, CreatedAt: now, UpdatedAt: now}
	owner.Metafields = append(owner.Metafields, mf)
	sh.metafields[mf.ID] = mf
	return nil
}
