package shopifysim

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// productSet and productDelete with synchronous: false answer with a
// product operation instead of the result: CREATED in the mutation's
// payload, COMPLETE (with the product, or the deleted product's id) when
// read afterwards (productOperation(id:), node). The simulator applies
// the change at once, so the operation has finished by the time anyone
// can read it.

// productOperation is one asynchronous productSet or productDelete.
type productOperation struct {
	ID      int64
	Product *product
	Deleted bool // a ProductDeleteOperation
}

// startProductOperation records an operation on p and returns it as the
// mutation's payload shows it. Callers hold mu for writing.
func (sh *shop) startProductOperation(p *product, deleted bool) *gql.Object {
	if sh.productOps == nil {
		sh.productOps = map[int64]*productOperation{}
	}
	op := &productOperation{ID: sh.id(), Product: p, Deleted: deleted}
	sh.productOps[op.ID] = op
	return op.object(sh, "CREATED")
}

// object is the operation with the given status; a product deleted since
// is null.
func (op *productOperation) object(sh *shop, status string) *gql.Object {
	done := status == "COMPLETE"
	if op.Deleted {
		var deleted any
		if done {
			deleted = gql.GID("Product", op.Product.ID)
		}
		return gql.Obj("ProductDeleteOperation", map[string]any{
			"id": gql.GID("ProductDeleteOperation", op.ID), "status": status, "product": nil,
			"deletedProductId": deleted, "userErrors": []*gql.Object{},
		})
	}
	var p any
	if done && sh.productByID[op.Product.ID] != nil {
		p = op.Product
	}
	return gql.Obj("ProductSetOperation", map[string]any{
		"id": gql.GID("ProductSetOperation", op.ID), "status": status, "product": p, "userErrors": []*gql.Object{},
	})
}

// productOperationNode is the operation with id, as read after the
// mutation, or nil. Callers hold mu.
func (sh *shop) productOperationNode(typ string, id int64) any {
	if op := sh.productOps[id]; op != nil && (typ == "ProductDeleteOperation") == op.Deleted {
		return op.object(sh, "COMPLETE")
	}
	return nil
}

func init() {
	register("QueryRoot", map[string]resolver{
		"productOperation": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id := gql.ArgString(args, "id")
			for _, typ := range []string{"ProductSetOperation", "ProductDeleteOperation"} {
				if n, ok := gql.ParseID(id, typ); ok {
					return ec.sh.productOperationNode(typ, n), nil
				}
			}
			return nil, nil
		},
	})
}
