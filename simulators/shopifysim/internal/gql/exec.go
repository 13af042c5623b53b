package gql

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// Resolver is what the engine asks of the model it serves.
type Resolver interface {
	// ResolveField returns field f of obj, a value of the object type typ,
	// with f's arguments coerced into args. The engine asks for every
	// field it does not resolve itself (connections, edges, Objects,
	// __typename), so this is where an unknown field becomes an error.
	ResolveField(typ string, obj any, f *ast.Field, args map[string]any) (any, error)
	// Identify names the GraphQL object type of a model value and gives
	// its global id; typ is "" for a value that is not a model value, id
	// may be "" for one. Results keep the id (Map.ID) so that bulk output
	// can name a row's parent.
	Identify(v any) (typ, id string)
}

// Exec is one execution of an operation.
type Exec struct {
	Doc  *ast.QueryDocument       // the loaded document; fragments live here
	Op   *ast.OperationDefinition // the operation to run
	Vars map[string]any           // coerced variables
	// Unpaged lifts the page size requirement: a bulk operation reads
	// whole connections.
	Unpaged bool
	// Errors are the field errors so far, in the order they happened.
	Errors []Error

	engine *Engine
	res    Resolver
}

// Object is a plain object value (payloads, money, user errors) that the
// engine resolves without asking the Resolver: its fields are values, or
// funcs of the arguments for fields that take some.
type Object struct {
	Type   string // concrete GraphQL type; empty means the field's type
	Fields map[string]any
}

// Obj returns an Object of type typ.
func Obj(typ string, fields map[string]any) *Object { return &Object{Type: typ, Fields: fields} }

// errNullPropagation signals a null in a non-null position, which makes the
// parent null too.
var errNullPropagation = errors.New("null propagation")

// Execute runs the operation's root selection set with r resolving the
// model's fields. It returns the data, nil when a null reached the root,
// and the actual query cost.
func (x *Exec) Execute(r Resolver) (*Map, float64) {
	x.res = r
	root := x.engine.rootType(x.Op)
	data, cost, err := x.selectionSet(root, "", root, x.Op.SelectionSet, ast.Path{})
	if err != nil {
		return nil, cost
	}
	return data, cost
}

// selectionSet resolves sel on obj of concrete type typ, whose id is id.
func (x *Exec) selectionSet(typ, id string, obj any, sel ast.SelectionSet, path ast.Path) (*Map, float64, error) {
	out := &Map{id: id}
	var cost float64
	wrapper := x.engine.isWrapperType(typ)
	for _, f := range x.collectFields(sel, typ) {
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		fpath := append(path[:len(path):len(path)], ast.PathName(key))
		if f.Name == "__typename" {
			out.Set(key, typ)
			continue
		}
		val, err := x.resolveField(typ, obj, f)
		if err != nil {
			x.fieldErr(err, f, fpath)
			if x.engine.isMutationRoot(typ) {
				// A failed mutation is charged what it requested.
				var ignored []Error
				cost += x.fieldCost(f, typ, path, &ignored)
			}
			if f.Definition.Type.NonNull {
				return nil, cost, errNullPropagation
			}
			out.Set(key, nil)
			continue
		}
		v, c, err := x.complete(f.Definition.Type, f.SelectionSet, val, fpath, wrapper)
		if x.engine.isMutationRoot(typ) {
			// The payload object is free; what it selects is not.
			c = MutationCost + max(c-1, 0)
		}
		cost += c
		if err != nil {
			if f.Definition.Type.NonNull {
				return nil, cost, errNullPropagation
			}
			v = nil
		}
		out.Set(key, v)
	}
	return out, cost, nil
}

func (x *Exec) fieldErr(err error, f *ast.Field, path ast.Path) {
	// A resolver that refuses a field for several reasons at once joins
	// them (errors.Join): each is one entry of errors[], in order.
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			x.fieldErr(e, f, path)
		}
		return
	}
	e := Error{Message: err.Error(), Locations: locationsOf(f.Position), Path: path}
	var fe *fieldError
	if errors.As(err, &fe) && fe.code != "" {
		e.Extensions = map[string]any{"code": fe.code}
	}
	x.Errors = append(x.Errors, e)
}

// complete turns a resolved value into its JSON form following the
// field's declared type, and returns the actual cost it incurred.
// sumList is set inside connections, where every node of a list counts;
// elsewhere a list of objects costs like one object, as in the requested
// cost.
func (x *Exec) complete(t *ast.Type, sel ast.SelectionSet, val any, path ast.Path, sumList bool) (any, float64, error) {
	if IsNil(val) {
		if t.NonNull {
			x.Errors = append(x.Errors, Error{Message: "Cannot return null for non-nullable field", Path: path})
			return nil, 0, errNullPropagation
		}
		if t.Elem == nil && len(sel) > 0 {
			return nil, 1, nil
		}
		return nil, 0, nil
	}
	if t.Elem != nil {
		rv := reflect.ValueOf(val)
		if rv.Kind() != reflect.Slice {
			return nil, 0, fmt.Errorf("list field resolved to %T", val)
		}
		n := rv.Len()
		out := make([]any, 0, n)
		var cost float64
		for i := range n {
			v, c, err := x.complete(t.Elem, sel, rv.Index(i).Interface(), append(path[:len(path):len(path)], ast.PathIndex(i)), sumList)
			if err != nil {
				if t.Elem.NonNull {
					if t.NonNull {
						return nil, cost, errNullPropagation
					}
					return nil, cost, nil
				}
				v = nil
			}
			out = append(out, v)
			if sumList {
				cost += c
			} else {
				cost = max(cost, c)
			}
		}
		return out, cost, nil
	}
	def := x.engine.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return serializeLeaf(t.NamedType, val), 0, nil
	}
	typ, id := x.res.Identify(val)
	if typ == "" {
		typ = plainType(val, def)
	}
	if typ == "" {
		return nil, 0, fmt.Errorf("cannot resolve the type of %T", val)
	}
	m, cost, err := x.selectionSet(typ, id, val, sel, path)
	if err != nil {
		return nil, cost, errNullPropagation
	}
	switch {
	case x.engine.IsConnection(typ):
		m.conn = true
		cost += 2
	case x.engine.isWrapperType(typ):
	default:
		cost++
	}
	return m, cost, nil
}

// IsNil reports whether v is nil or holds a nil pointer, map, slice or
// interface: lookups in maps of model values hand out typed nils.
func IsNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// plainType names the object type of val, which is not a model value, for
// a field declared as def.
func plainType(val any, def *ast.Definition) string {
	if g, ok := val.(*Object); ok && g.Type != "" {
		return g.Type
	}
	if def.Kind == ast.Object {
		return def.Name
	}
	return ""
}

// resolveField finds the value of field f on obj.
func (x *Exec) resolveField(typ string, obj any, f *ast.Field) (any, error) {
	args := f.ArgumentMap(x.Vars)
	switch o := obj.(type) {
	case *Connection:
		return o.field(f.Name)
	case *edge:
		switch f.Name {
		case "cursor":
			return o.cursor, nil
		case "node":
			return o.node, nil
		}
	case *Object:
		if v, ok := o.Fields[f.Name]; ok {
			if fn, ok := v.(func(map[string]any) (any, error)); ok {
				return fn(args)
			}
			return v, nil
		}
	}
	return x.res.ResolveField(typ, obj, f, args)
}

// collectFields flattens fragments and merges fields with the same response
// key, for an object of concrete type typ.
func (x *Exec) collectFields(sel ast.SelectionSet, typ string) []*ast.Field {
	var out []*ast.Field
	index := map[string]int{}
	var walk func(ast.SelectionSet)
	walk = func(ss ast.SelectionSet) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.Field:
				if !x.included(s.Directives) {
					continue
				}
				key := s.Alias
				if key == "" {
					key = s.Name
				}
				if i, ok := index[key]; ok {
					merged := *out[i]
					merged.SelectionSet = append(append(ast.SelectionSet{}, out[i].SelectionSet...), s.SelectionSet...)
					out[i] = &merged
					continue
				}
				index[key] = len(out)
				out = append(out, s)
			case *ast.InlineFragment:
				if x.included(s.Directives) && x.engine.typeMatches(s.TypeCondition, typ) {
					walk(s.SelectionSet)
				}
			case *ast.FragmentSpread:
				if !x.included(s.Directives) {
					continue
				}
				def := s.Definition
				if def == nil {
					def = x.Doc.Fragments.ForName(s.Name)
				}
				if def != nil && x.engine.typeMatches(def.TypeCondition, typ) {
					walk(def.SelectionSet)
				}
			}
		}
	}
	walk(sel)
	return out
}

// included applies @skip and @include.
func (x *Exec) included(ds ast.DirectiveList) bool {
	for _, d := range ds {
		switch d.Name {
		case "skip":
			if b, _ := d.ArgumentMap(x.Vars)["if"].(bool); b {
				return false
			}
		case "include":
			if b, _ := d.ArgumentMap(x.Vars)["if"].(bool); !b {
				return false
			}
		}
	}
	return true
}

// serializeLeaf renders a scalar or enum value as Shopify does.
func serializeLeaf(typ string, v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		return x.UTC().Format(time.RFC3339)
	case int64:
		if typ == "UnsignedInt64" {
			return strconv.FormatInt(x, 10)
		}
		return x
	case int:
		if typ == "UnsignedInt64" {
			return strconv.Itoa(x)
		}
		return x
	}
	return v
}
