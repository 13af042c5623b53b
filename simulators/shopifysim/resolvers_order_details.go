package shopifysim

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// The order fields common apps read besides totals and line items:
// addresses, shipping, payments, fulfillments and refunds. Simulated
// orders are paid by one sale, not shipped and never refunded, so these
// are what Shopify answers for such an order.

// mailingAddress is the synthetic customer address of every order (the
// same one the webhook payloads carry).
func mailingAddress(o *order) *gql.Object {
	return gql.Obj("MailingAddress", map[string]any{
		"id":        gql.GID("MailingAddress", o.ID) + "?model_name=Address",
		"firstName": "Sam", "lastName": "Simulated", "name": "Sam Simulated",
		"address1": "1 Example Street", "address2": nil, "city": "Ottawa", "company": nil,
		"province": "Ontario", "provinceCode": "ON", "country": "Canada", "countryCodeV2": "CA",
		"zip": "K1A0B1", "phone": "555-0100", "latitude": nil, "longitude": nil,
		"formatted":            []string{"1 Example Street", "Ottawa ON K1A0B1", "Canada"},
		"formattedArea":        "Ottawa ON, Canada",
		"coordinatesValidated": false, "validationResultSummary": nil, "timeZone": nil,
	})
}

// saleTransaction is the one successful sale that paid the order.
func saleTransaction(o *order) *gql.Object {
	amount := money(o.totalCents(), o.Currency)
	return gql.Obj("OrderTransaction", map[string]any{
		"id":        gql.GID("OrderTransaction", o.ID),
		"kind":      "SALE",
		"status":    "SUCCESS",
		"gateway":   "bogus",
		"test":      true,
		"amountSet": amount, "createdAt": o.CreatedAt, "processedAt": o.CreatedAt,
		"errorCode": nil, "parentTransaction": nil, "authorizationCode": nil,
		"manualPaymentGateway": false, "manuallyCapturable": false, "multiCapturable": false,
		"fees": []any{},
	})
}

func init() {
	register("Order", map[string]resolver{
		"billingAddress":                       field(func(o *order) any { return mailingAddress(o) }),
		"shippingAddress":                      field(func(o *order) any { return mailingAddress(o) }),
		"billingAddressMatchesShippingAddress": field(func(*order) any { return true }),
		"poNumber":                             field(func(*order) any { return nil }),
		"requiresShipping":                     field(func(*order) any { return true }),
		"netPaymentSet":                        field(func(o *order) any { return money(o.totalCents(), o.Currency) }),
		"currentShippingPriceSet":              field(func(o *order) any { return money(0, o.Currency) }),
		"shippingLines": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			return gql.Paginate(ec.Exec, []*order(nil), func(o *order) gql.SortKey { return gql.ByID(o.ID) }, args)
		},
		"fulfillments":      field(func(*order) any { return []any{} }),
		"fulfillmentsCount": field(func(*order) any { return countObj(0) }),
		"refunds":           field(func(*order) any { return []any{} }),
		"transactions": field(func(o *order) any {
			if o.Financial != "PAID" {
				return []any{}
			}
			return []any{saleTransaction(o)}
		}),
		"transactionsCount": field(func(o *order) any {
			if o.Financial != "PAID" {
				return countObj(0)
			}
			return countObj(1)
		}),
	})
}
