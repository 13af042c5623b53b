package gql

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// Shopify's calculated query cost, computed statically before execution:
//
//   - scalars and enums cost 0, objects 1;
//   - a connection costs 2 plus its page size (first or last) times the
//     cost of one node with everything selected under it; the connection,
//     edge and PageInfo objects themselves are free;
//   - lists of objects that are not connections cost like one object;
//   - a mutation field costs 10 plus what its payload selects (the payload
//     object itself is free), and is charged even when it fails;
//   - for fragments on different types of an abstract field, the most
//     expensive one counts.
//
// The actual cost follows the same rules with the page sizes actually
// returned; Execute computes it.

// MutationCost is what Shopify charges for a mutation field before its
// selection.
const MutationCost = 10

// RequestedCost returns the operation's requested cost, and the errors
// Shopify reports before execution (a connection without first or last).
func (x *Exec) RequestedCost() (float64, []Error) {
	var errs []Error
	c := x.selectionCost(x.Op.SelectionSet, x.engine.rootType(x.Op), ast.Path{}, &errs)
	return c, errs
}

func (x *Exec) selectionCost(sel ast.SelectionSet, typ string, path ast.Path, errs *[]Error) float64 {
	var base float64
	byCond := map[string]float64{}
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if !x.included(s.Directives) {
				continue
			}
			base += x.fieldCost(s, typ, path, errs)
		case *ast.InlineFragment:
			if !x.included(s.Directives) {
				continue
			}
			c := x.selectionCost(s.SelectionSet, orType(s.TypeCondition, typ), path, errs)
			addFragmentCost(s.TypeCondition, typ, c, &base, byCond)
		case *ast.FragmentSpread:
			def := s.Definition
			if def == nil {
				def = x.Doc.Fragments.ForName(s.Name)
			}
			if def == nil || !x.included(s.Directives) {
				continue
			}
			c := x.selectionCost(def.SelectionSet, orType(def.TypeCondition, typ), path, errs)
			addFragmentCost(def.TypeCondition, typ, c, &base, byCond)
		}
	}
	var most float64
	for _, c := range byCond {
		most = max(most, c)
	}
	return base + most
}

func orType(cond, typ string) string {
	if cond == "" {
		return typ
	}
	return cond
}

// addFragmentCost adds fragments on the parent's own type to the base cost
// and keeps those on other (possible) types apart, of which only the most
// expensive counts.
func addFragmentCost(cond, typ string, c float64, base *float64, byCond map[string]float64) {
	if cond == "" || cond == typ {
		*base += c
		return
	}
	byCond[cond] += c
}

func (x *Exec) fieldCost(f *ast.Field, parent string, path ast.Path, errs *[]Error) float64 {
	if f.Name == "__typename" || f.Definition == nil {
		return 0
	}
	key := f.Alias
	if key == "" {
		key = f.Name
	}
	fpath := append(path[:len(path):len(path)], ast.PathName(key))
	named := f.Definition.Type.Name()
	def := x.engine.schema.Types[named]
	if def == nil || def.Kind == ast.Scalar || def.Kind == ast.Enum {
		if x.engine.isMutationRoot(parent) {
			return MutationCost
		}
		return 0
	}
	children := x.selectionCost(f.SelectionSet, named, fpath, errs)
	if x.engine.isMutationRoot(parent) {
		return MutationCost + children
	}
	if x.engine.IsConnection(named) {
		args := f.ArgumentMap(x.Vars)
		n, hasFirst := ArgInt(args, "first")
		if !hasFirst {
			var hasLast bool
			n, hasLast = ArgInt(args, "last")
			if !hasLast && !x.Unpaged {
				*errs = append(*errs, Error{Message: "you must provide one of first or last",
					Locations: locationsOf(f.Position), Path: fpath})
			}
		}
		return 2 + float64(max(n, 0))*children
	}
	if x.engine.isWrapperType(named) {
		return children
	}
	return 1 + children
}
