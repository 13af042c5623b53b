package shopifysim

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// execCtx is one execution of an operation against one shop.
type execCtx struct {
	sh      *shop
	doc     *ast.QueryDocument
	op      *ast.OperationDefinition
	vars    map[string]any
	version string // API version from the request path
	baseURL string // where the simulator is reachable, for bulk result URLs
	errs    []gqlErr
	// bulk lifts the page size requirement: a bulk operation reads whole
	// connections.
	bulk bool
	// applied is set by a mutation resolver that changed data; idempotency
	// bookkeeping reads it.
	applied bool
}

// fieldError is a resolver failure reported in errors[] with a code.
type fieldError struct {
	msg  string
	code string
}

func (e *fieldError) Error() string { return e.msg }

func errCode(code, format string, args ...any) error {
	return &fieldError{msg: fmt.Sprintf(format, args...), code: code}
}

// resolver resolves one field of one GraphQL type.
type resolver func(ec *execCtx, obj any, f *ast.Field, args map[string]any) (any, error)

// resolvers holds the resolvers by type and field name; resolvers_*.go fill
// it in init functions.
var resolvers = map[string]map[string]resolver{}

func register(typ string, fields map[string]resolver) {
	m := resolvers[typ]
	if m == nil {
		m = map[string]resolver{}
		resolvers[typ] = m
	}
	for k, v := range fields {
		m[k] = v
	}
}

// gobj is a plain object value (payloads, money, user errors): its fields
// are values, or funcs of the arguments for fields that take some.
type gobj struct {
	typ    string // concrete GraphQL type; empty means the field's type
	fields map[string]any
}

func obj(typ string, fields map[string]any) *gobj { return &gobj{typ: typ, fields: fields} }

// omap is a JSON object that keeps its keys in selection order.
type omap struct {
	keys []string
	vals []any
	// gid is the id of the model object the map was made from; bulk
	// operations use it for __parentId.
	gid string
	// conn marks a connection's result, which bulk output turns into rows.
	conn bool
}

func (m *omap) set(k string, v any) {
	for i, kk := range m.keys {
		if kk == k {
			m.vals[i] = v
			return
		}
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

func (m *omap) get(k string) any {
	for i, kk := range m.keys {
		if kk == k {
			return m.vals[i]
		}
	}
	return nil
}

// errNullPropagation signals a null in a non-null position, which makes the
// parent null too.
var errNullPropagation = errors.New("null propagation")

// execute runs the operation's root selection set and returns data and
// the actual query cost.
func (ec *execCtx) execute() (*omap, float64) {
	root := "QueryRoot"
	if ec.op.Operation == ast.Mutation {
		root = "Mutation"
	}
	data, cost, err := ec.selectionSet(root, root, ec.op.SelectionSet, ast.Path{})
	if err != nil {
		return nil, cost
	}
	return data, cost
}

// selectionSet resolves sel on obj of concrete type typ.
func (ec *execCtx) selectionSet(typ string, obj any, sel ast.SelectionSet, path ast.Path) (*omap, float64, error) {
	out := &omap{gid: gidOf(obj)}
	var cost float64
	wrapper := isWrapperType(typ)
	for _, f := range ec.collectFields(sel, typ) {
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		fpath := append(path[:len(path):len(path)], ast.PathName(key))
		if f.Name == "__typename" {
			out.set(key, typ)
			continue
		}
		val, err := ec.resolveField(typ, obj, f)
		if err != nil {
			ec.fieldErr(err, f, fpath)
			if f.Definition.Type.NonNull {
				return nil, cost, errNullPropagation
			}
			out.set(key, nil)
			continue
		}
		v, c, err := ec.complete(f.Definition.Type, f.SelectionSet, val, fpath, wrapper)
		if typ == "Mutation" {
			c = mutationCost
		}
		cost += c
		if err != nil {
			if f.Definition.Type.NonNull {
				return nil, cost, errNullPropagation
			}
			v = nil
		}
		out.set(key, v)
	}
	return out, cost, nil
}

func (ec *execCtx) fieldErr(err error, f *ast.Field, path ast.Path) {
	e := gqlErr{Message: err.Error(), Locations: locationsOf(f.Position), Path: path}
	var fe *fieldError
	if errors.As(err, &fe) && fe.code != "" {
		e.Extensions = map[string]any{"code": fe.code}
	}
	ec.errs = append(ec.errs, e)
}

// complete turns a resolved value into its JSON form following the
// field's declared type, and returns the actual cost it incurred.
// sumList is set inside connections, where every node of a list counts;
// elsewhere a list of objects costs like one object, as in the requested
// cost.
func (ec *execCtx) complete(t *ast.Type, sel ast.SelectionSet, val any, path ast.Path, sumList bool) (any, float64, error) {
	if isNil(val) {
		if t.NonNull {
			ec.errs = append(ec.errs, gqlErr{Message: "Cannot return null for non-nullable field", Path: path})
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
			v, c, err := ec.complete(t.Elem, sel, rv.Index(i).Interface(), append(path[:len(path):len(path)], ast.PathIndex(i)), sumList)
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
	def := adminSchema().Types[t.NamedType]
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return serializeLeaf(t.NamedType, val), 0, nil
	}
	typ := ec.concreteType(val, def)
	if typ == "" {
		return nil, 0, fmt.Errorf("cannot resolve the type of %T", val)
	}
	m, cost, err := ec.selectionSet(typ, val, sel, path)
	if err != nil {
		return nil, cost, errNullPropagation
	}
	switch {
	case isConnectionType(typ):
		m.conn = true
		cost += 2
	case isWrapperType(typ):
	default:
		cost++
	}
	return m, cost, nil
}

func isNil(v any) bool {
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

// isConnectionType reports whether typ is a Relay connection.
func isConnectionType(typ string) bool {
	if !strings.HasSuffix(typ, "Connection") {
		return false
	}
	def := adminSchema().Types[typ]
	return def != nil && def.Fields.ForName("pageInfo") != nil
}

// isWrapperType reports whether objects of typ cost nothing themselves:
// connections, edges and page info are priced through the connection.
func isWrapperType(typ string) bool {
	if typ == "PageInfo" || isConnectionType(typ) {
		return true
	}
	if strings.HasSuffix(typ, "Edge") {
		def := adminSchema().Types[typ]
		return def != nil && def.Fields.ForName("node") != nil && def.Fields.ForName("cursor") != nil
	}
	return false
}

// concreteType names the object type of val for a field declared as def.
func (ec *execCtx) concreteType(val any, def *ast.Definition) string {
	if n := modelTypeName(val); n != "" {
		return n
	}
	if g, ok := val.(*gobj); ok && g.typ != "" {
		return g.typ
	}
	if def.Kind == ast.Object {
		return def.Name
	}
	return ""
}

// modelTypeName is the GraphQL type of a data model value.
func modelTypeName(v any) string {
	switch v.(type) {
	case *product:
		return "Product"
	case *variant:
		return "ProductVariant"
	case *inventoryItem:
		return "InventoryItem"
	case *inventoryLevel:
		return "InventoryLevel"
	case *location:
		return "Location"
	case *metafield:
		return "Metafield"
	case *order:
		return "Order"
	case *lineItem:
		return "LineItem"
	case *subscription:
		return "WebhookSubscription"
	case *bulkOperation:
		return "BulkOperation"
	case *adjustmentGroup:
		return "InventoryAdjustmentGroup"
	case *shop:
		return "Shop"
	}
	return ""
}

// gidOf is the GID of a model value, or "".
func gidOf(v any) string {
	switch o := v.(type) {
	case *product:
		return gid("Product", o.ID)
	case *variant:
		return gid("ProductVariant", o.ID)
	case *inventoryItem:
		return gid("InventoryItem", o.ID)
	case *inventoryLevel:
		return o.gid()
	case *location:
		return gid("Location", o.ID)
	case *metafield:
		return gid("Metafield", o.ID)
	case *order:
		return gid("Order", o.ID)
	case *lineItem:
		return gid("LineItem", o.ID)
	}
	return ""
}

// resolveField finds the value of field f on obj.
func (ec *execCtx) resolveField(typ string, obj any, f *ast.Field) (any, error) {
	args := f.ArgumentMap(ec.vars)
	switch o := obj.(type) {
	case *connection:
		return o.field(f.Name)
	case *edge:
		switch f.Name {
		case "cursor":
			return o.cursor, nil
		case "node":
			return o.node, nil
		}
	case *gobj:
		if v, ok := o.fields[f.Name]; ok {
			if fn, ok := v.(func(map[string]any) (any, error)); ok {
				return fn(args)
			}
			return v, nil
		}
	}
	if r := resolvers[typ][f.Name]; r != nil {
		return r(ec, obj, f, args)
	}
	return nil, errCode("NOT_IMPLEMENTED", "Field '%s' on type '%s' is not implemented by the Shopify simulator", f.Name, typ)
}

// collectFields flattens fragments and merges fields with the same response
// key, for an object of concrete type typ.
func (ec *execCtx) collectFields(sel ast.SelectionSet, typ string) []*ast.Field {
	var out []*ast.Field
	index := map[string]int{}
	var walk func(ast.SelectionSet)
	walk = func(ss ast.SelectionSet) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.Field:
				if !ec.included(s.Directives) {
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
				if ec.included(s.Directives) && typeMatches(s.TypeCondition, typ) {
					walk(s.SelectionSet)
				}
			case *ast.FragmentSpread:
				if !ec.included(s.Directives) {
					continue
				}
				def := s.Definition
				if def == nil {
					def = ec.doc.Fragments.ForName(s.Name)
				}
				if def != nil && typeMatches(def.TypeCondition, typ) {
					walk(def.SelectionSet)
				}
			}
		}
	}
	walk(sel)
	return out
}

// included applies @skip and @include.
func (ec *execCtx) included(ds ast.DirectiveList) bool {
	for _, d := range ds {
		switch d.Name {
		case "skip":
			if b, _ := d.ArgumentMap(ec.vars)["if"].(bool); b {
				return false
			}
		case "include":
			if b, _ := d.ArgumentMap(ec.vars)["if"].(bool); !b {
				return false
			}
		}
	}
	return true
}

// typeMatches reports whether an object of type typ satisfies a fragment's
// type condition.
func typeMatches(cond, typ string) bool {
	if cond == "" || cond == typ {
		return true
	}
	sc := adminSchema()
	def := sc.Types[cond]
	if def == nil || (def.Kind != ast.Interface && def.Kind != ast.Union) {
		return false
	}
	for _, p := range sc.GetPossibleTypes(def) {
		if p.Name == typ {
			return true
		}
	}
	return false
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

// Argument helpers: values come from literals (int64) or JSON variables
// (float64 or json.Number after coercion).

func argInt(args map[string]any, name string) (int, bool) {
	return toInt(args[name])
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

func argString(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

func argBool(args map[string]any, name string) bool {
	b, _ := args[name].(bool)
	return b
}

func argStrings(args map[string]any, name string) []string {
	list, _ := args[name].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
