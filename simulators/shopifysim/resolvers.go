package shopifysim

import (
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/shopify/schema"
	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// adminEngine is the GraphQL engine over the Admin API 2026-10 schema,
// made once: loading the schema is slow, and one document cache serves
// every simulator in the process.
var adminEngine = sync.OnceValue(func() *gql.Engine {
	return gql.New(gqlparser.MustLoadSchema(&ast.Source{Name: "admin-2026-10.graphql", Input: schema.SDL}))
})

// execCtx is one execution of an operation against one shop: the engine's
// execution plus what the shop's resolvers need. It is the gql.Resolver
// the engine asks for the model's fields.
type execCtx struct {
	*gql.Exec
	sh      *shop
	version string // API version from the request path
	baseURL string // where the simulator is reachable, for bulk result URLs
	// applied is set by a mutation resolver that changed data; idempotency
	// bookkeeping reads it.
	applied bool
}

// resolver resolves one field of one GraphQL type.
type resolver func(ec *execCtx, obj any, f *ast.Field, args map[string]any) (any, error)

// resolvers holds the resolvers by type and field name; resolvers_*.go,
// mutations_*.go and bulk.go fill it in init functions.
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

// field adapts a plain getter on a model type to a resolver.
func field[T any](get func(T) any) resolver {
	return func(_ *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
		return get(o.(T)), nil
	}
}

// ResolveField runs the registered resolver; a field without one is an
// error naming it, never a silent null.
func (ec *execCtx) ResolveField(typ string, obj any, f *ast.Field, args map[string]any) (any, error) {
	if r := resolvers[typ][f.Name]; r != nil {
		return r(ec, obj, f, args)
	}
	return nil, gql.Errorf("NOT_IMPLEMENTED", "Field '%s' on type '%s' is not implemented by the Shopify simulator", f.Name, typ)
}

// Identify names the GraphQL type of a data model value and gives the GID
// of those bulk output can have as rows.
func (ec *execCtx) Identify(v any) (typ, id string) {
	var n int64 // the id of a value that can be a bulk row
	switch o := v.(type) {
	case *product:
		typ, n = "Product", o.ID
	case *variant:
		typ, n = "ProductVariant", o.ID
	case *inventoryItem:
		typ, n = "InventoryItem", o.ID
	case *inventoryLevel:
		return "InventoryLevel", o.gid()
	case *location:
		typ, n = "Location", o.ID
	case *metafield:
		typ, n = "Metafield", o.ID
	case *order:
		typ, n = "Order", o.ID
	case *customer:
		typ, n = "Customer", o.ID
	case *lineItem:
		typ, n = "LineItem", o.ID
	case *subscription:
		return "WebhookSubscription", ""
	case *bulkOperation:
		return "BulkOperation", ""
	case *adjustmentGroup:
		return "InventoryAdjustmentGroup", ""
	case *shop:
		return "Shop", ""
	default:
		return "", ""
	}
	return typ, gql.GID(typ, n)
}
