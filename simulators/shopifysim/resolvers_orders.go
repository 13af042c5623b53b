package shopifysim

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

func orderMatcher(o *order) gql.TermMatcher {
	return func(t gql.SearchTerm) (bool, bool) {
		switch t.Field {
		case "id":
			return gql.CompareInt(t, o.ID), true
		case "updated_at":
			return gql.CompareTime(t, o.UpdatedAt), true
		case "created_at", "processed_at":
			return gql.CompareTime(t, o.CreatedAt), true
		case "name":
			return gql.MatchText(t, o.Name) || gql.MatchText(t, strings.TrimPrefix(o.Name, "#")), true
		case "email":
			return gql.MatchText(t, o.Email), true
		case "financial_status":
			return gql.MatchText(t, o.Financial), true
		case "fulfillment_status":
			return gql.MatchText(t, o.Fulfillment), true
		case "status":
			switch strings.ToLower(t.Value) {
			case "cancelled":
				return o.CancelledAt != nil, true
			case "open":
				return o.CancelledAt == nil, true
			}
			return true, true
		case "tag":
			for _, tag := range o.Tags {
				if gql.MatchText(t, tag) {
					return true, true
				}
			}
			return false, true
		case "sku":
			for _, li := range o.LineItems {
				if gql.MatchText(t, li.SKU) {
					return true, true
				}
			}
			return false, true
		}
		return false, false
	}
}

func orderSortKey(args map[string]any) func(*order) gql.SortKey {
	switch gql.ArgString(args, "sortKey") {
	case "UPDATED_AT":
		return func(o *order) gql.SortKey { return gql.SortKey{Value: o.UpdatedAt.UnixNano(), ID: o.ID} }
	case "ID", "ORDER_NUMBER":
		return func(o *order) gql.SortKey { return gql.ByID(o.ID) }
	}
	return func(o *order) gql.SortKey { return gql.SortKey{Value: o.CreatedAt.UnixNano(), ID: o.ID} }
}

func money(cents int64, currency string) *gql.Object {
	m := gql.Obj("MoneyV2", map[string]any{"amount": formatDecimal(cents), "currencyCode": currency})
	return gql.Obj("MoneyBag", map[string]any{"shopMoney": m, "presentmentMoney": m})
}

func init() {
	register("QueryRoot", map[string]resolver{
		"orders": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			key := orderSortKey(args)
			items := gql.SortedBy(ec.sh.orders, gql.ParseSearch(gql.ArgString(args, "query")), orderMatcher, key, false)
			return gql.Paginate(ec.Exec, items, key, args)
		},
		"order": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "Order")
			return ec.sh.orderByID[id], nil
		},
		"ordersCount": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := gql.ParseSearch(gql.ArgString(args, "query"))
			n := 0
			for _, o := range ec.sh.orders {
				if q.Matches(orderMatcher(o)) {
					n++
				}
			}
			return countObj(n), nil
		},
	})

	total := func(o *order) any { return money(o.totalCents(), o.Currency) }
	zero := func(o *order) any { return money(0, o.Currency) }
	register("Order", map[string]resolver{
		"id":                       field(func(o *order) any { return gql.GID("Order", o.ID) }),
		"legacyResourceId":         field(func(o *order) any { return o.ID }),
		"name":                     field(func(o *order) any { return o.Name }),
		"number":                   field(func(o *order) any { return o.Number - 1000 }),
		"email":                    field(func(o *order) any { return o.Email }),
		"note":                     field(func(o *order) any { return nilIfEmpty(o.Note) }),
		"tags":                     field(func(o *order) any { return orEmpty(o.Tags) }),
		"createdAt":                field(func(o *order) any { return o.CreatedAt }),
		"processedAt":              field(func(o *order) any { return o.CreatedAt }),
		"updatedAt":                field(func(o *order) any { return o.UpdatedAt }),
		"cancelledAt":              field(func(o *order) any { return o.CancelledAt }),
		"cancelReason":             field(func(o *order) any { return map[bool]any{true: "CUSTOMER", false: nil}[o.CancelledAt != nil] }),
		"closed":                   field(func(*order) any { return false }),
		"closedAt":                 field(func(*order) any { return nil }),
		"confirmed":                field(func(*order) any { return true }),
		"test":                     field(func(*order) any { return true }),
		"currencyCode":             field(func(o *order) any { return o.Currency }),
		"presentmentCurrencyCode":  field(func(o *order) any { return o.Currency }),
		"displayFinancialStatus":   field(func(o *order) any { return o.Financial }),
		"displayFulfillmentStatus": field(func(o *order) any { return o.Fulfillment }),
		"fullyPaid":                field(func(o *order) any { return o.Financial == "PAID" }),
		"unpaid":                   field(func(o *order) any { return o.Financial == "PENDING" }),
		"sourceName":               field(func(*order) any { return "web" }),
		"phone":                    field(func(*order) any { return nil }),
		"customer":                 field(func(o *order) any { return o.Customer }),
		"paymentGatewayNames":      field(func(*order) any { return []string{"bogus"} }),
		"subtotalLineItemsQuantity": field(func(o *order) any {
			n := 0
			for _, li := range o.LineItems {
				n += li.Quantity
			}
			return n
		}),
		"totalPriceSet":            field(total),
		"currentTotalPriceSet":     field(total),
		"originalTotalPriceSet":    field(total),
		"subtotalPriceSet":         field(total),
		"currentSubtotalPriceSet":  field(total),
		"totalReceivedSet":         field(total),
		"totalDiscountsSet":        field(zero),
		"currentTotalDiscountsSet": field(zero),
		"totalTaxSet":              field(zero),
		"currentTotalTaxSet":       field(zero),
		"totalShippingPriceSet":    field(zero),
		"totalRefundedSet":         field(zero),
		"totalOutstandingSet":      field(zero),
		"lineItems": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return gql.Paginate(ec.Exec, o.(*order).LineItems, func(li *lineItem) gql.SortKey { return gql.ByID(li.ID) }, args)
		},
		"metafields": func(ec *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldConnection(ec, o.(*order).Metafields, args)
		},
		"metafield": func(_ *execCtx, o any, _ *ast.Field, args map[string]any) (any, error) {
			return metafieldLookup(o.(*order).Metafields, args), nil
		},
	})

	register("LineItem", map[string]resolver{
		"id":                     field(func(li *lineItem) any { return gql.GID("LineItem", li.ID) }),
		"name":                   field(func(li *lineItem) any { return strings.TrimSuffix(li.Title+" - "+li.VTitle, " - Default Title") }),
		"title":                  field(func(li *lineItem) any { return li.Title }),
		"variantTitle":           field(func(li *lineItem) any { return li.VTitle }),
		"sku":                    field(func(li *lineItem) any { return nilIfEmpty(li.SKU) }),
		"vendor":                 field(func(li *lineItem) any { return li.Vendor }),
		"quantity":               field(func(li *lineItem) any { return li.Quantity }),
		"currentQuantity":        field(func(li *lineItem) any { return li.Quantity }),
		"unfulfilledQuantity":    field(func(li *lineItem) any { return li.Quantity }),
		"refundableQuantity":     field(func(li *lineItem) any { return li.Quantity }),
		"nonFulfillableQuantity": field(func(*lineItem) any { return 0 }),
		"requiresShipping":       field(func(*lineItem) any { return true }),
		"taxable":                field(func(*lineItem) any { return true }),
		"isGiftCard":             field(func(*lineItem) any { return false }),
		"restockable":            field(func(*lineItem) any { return true }),
		"variant": func(ec *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
			li := o.(*lineItem)
			if li.Variant == nil || ec.sh.variantByID[li.Variant.ID] == nil {
				return nil, nil // deleted since the order was placed
			}
			return li.Variant, nil
		},
		"product": func(ec *execCtx, o any, _ *ast.Field, _ map[string]any) (any, error) {
			li := o.(*lineItem)
			if li.Product == nil || ec.sh.productByID[li.Product.ID] == nil {
				return nil, nil
			}
			return li.Product, nil
		},
		"originalUnitPriceSet":   field(func(li *lineItem) any { return money(parseCents(li.Price), "USD") }),
		"discountedUnitPriceSet": field(func(li *lineItem) any { return money(parseCents(li.Price), "USD") }),
		"originalTotalSet": field(func(li *lineItem) any {
			return money(parseCents(li.Price)*int64(li.Quantity), "USD")
		}),
		"discountedTotalSet": field(func(li *lineItem) any {
			return money(parseCents(li.Price)*int64(li.Quantity), "USD")
		}),
		"totalDiscountSet": field(func(*lineItem) any { return money(0, "USD") }),
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
