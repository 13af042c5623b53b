package shopifysim

import (
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// customer is the buyer of an order. The simulator models only what
// metafields need: each order has its own synthetic customer, the one its
// orders/create payload names, and it can own metafields.
type customer struct {
	ID         int64
	Email      string
	CreatedAt  time.Time
	Metafields []*metafield
}

// Every simulated customer has this fixed, obviously synthetic name, as in
// the webhook payloads.
const (
	customerFirstName = "Sam"
	customerLastName  = "Simulated"
)

// orderCustomerID is the id of order number n's customer: fixed by the
// number, so that the orders/create payload and GraphQL agree, and far
// above the ids the shop hands out.
func orderCustomerID(n int) int64 { return 9_000_000_000 + int64(n) }

// addOrderCustomer gives a new order its customer. Callers hold mu for
// writing, and o has its number and email.
func (sh *shop) addOrderCustomer(o *order) {
	if sh.customers == nil {
		sh.customers = make(map[int64]*customer)
	}
	c := &customer{ID: orderCustomerID(o.Number), Email: o.Email, CreatedAt: o.CreatedAt}
	sh.customers[c.ID] = c
	o.Customer = c
}

// customerUpdatedAt is when the customer last changed: when it was created
// or one of its metafields last was.
func (c *customer) updatedAt() time.Time {
	t := c.CreatedAt
	for _, m := range c.Metafields {
		if m.UpdatedAt.After(t) {
			t = m.UpdatedAt
		}
	}
	return t
}

func init() {
	register("QueryRoot", map[string]resolver{
		"customer": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "Customer")
			return ec.sh.customers[id], nil
		},
	})
	register("Customer", map[string]resolver{
		"id":               field(func(c *customer) any { return gql.GID("Customer", c.ID) }),
		"legacyResourceId": field(func(c *customer) any { return c.ID }),
		"firstName":        field(func(*customer) any { return customerFirstName }),
		"lastName":         field(func(*customer) any { return customerLastName }),
		"displayName":      field(func(*customer) any { return customerFirstName + " " + customerLastName }),
		"email":            field(func(c *customer) any { return c.Email }),
		"note":             field(func(*customer) any { return nil }),
		"tags":             field(func(*customer) any { return []string{} }),
		"state":            field(func(*customer) any { return "DISABLED" }),
		"verifiedEmail":    field(func(*customer) any { return true }),
		"taxExempt":        field(func(*customer) any { return false }),
		"numberOfOrders":   field(func(*customer) any { return 1 }),
		"createdAt":        field(func(c *customer) any { return c.CreatedAt }),
		"updatedAt":        field(func(c *customer) any { return c.updatedAt() }),
		"metafields": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, o.(*customer).Metafields, args)
		},
		"metafield": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldLookup(o.(*customer).Metafields, args), nil
		},
	})
}
