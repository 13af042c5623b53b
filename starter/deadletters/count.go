package deadletters

import (
	"cmp"
	"context"
	"slices"
)

// Count is the number of open dead letters of one kind in one shop.
type Count struct {
	Shop  string `json:"shop"`
	Kind  string `json:"failure_kind"`
	Count int    `json:"count"`
}

// Count returns the number of open dead letters f selects, by shop and
// failure kind, sorted by shop then kind. Visibility cannot group by
// custom search attributes, and a failed run replaced by a reset must not
// count, so the runs are listed and counted here.
func (s *Store) Count(ctx context.Context, f Filter) ([]Count, error) {
	open, err := s.open(ctx, f, false)
	if err != nil {
		return nil, err
	}
	return countByShopAndKind(open), nil
}

// countByShopAndKind groups dead letters by shop and kind.
func countByShopAndKind(open []DeadLetter) []Count {
	type key struct{ shop, kind string }
	n := map[key]int{}
	for _, d := range open {
		n[key{d.Shop, d.Kind}]++
	}
	out := make([]Count, 0, len(n))
	for k, c := range n {
		out = append(out, Count{Shop: k.shop, Kind: k.kind, Count: c})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(a.Shop, b.Shop), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}
