package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// Orders holds the orders reconciler's activities.
type Orders struct {
	ERP     *erp.Client
	Shopify *ShopifyClients
	Retry   RetryPolicy
}

// FindUninvoicedOrdersInput asks for one page of a shop's paid orders
// updated in a window that the ERP has not invoiced.
type FindUninvoicedOrdersInput struct {
	Shop  string
	Since time.Time
	// After is the previous page's Next; "" for the first.
	After string
}

// UninvoicedOrder is a paid order without an ERP invoice, with its body in
// the shape of Shopify's orders/create webhook, so that it goes through the
// same order-sync path.
type UninvoicedOrder struct {
	ID      int64
	Name    string
	Payload json.RawMessage
}

// UninvoicedOrdersPage is what one page found.
type UninvoicedOrdersPage struct {
	// Checked counts the paid, open orders of the page.
	Checked int
	Orders  []UninvoicedOrder
	// Next is the cursor of the next page; "" after the last.
	Next string
}

// ordersPageSize keeps a page's query cost (50 line items an order) within
// Shopify's limit and its payloads small in workflow history.
const ordersPageSize = 3

// FindUninvoicedOrders reads one page of the shop's orders updated in the
// window, keeps the paid ones that are not cancelled, and asks the ERP
// which of them it has no invoice for.
func (o *Orders) FindUninvoicedOrders(ctx context.Context, in FindUninvoicedOrdersInput) (UninvoicedOrdersPage, error) {
	c, err := o.Shopify.For(in.Shop)
	if err != nil {
		return UninvoicedOrdersPage{}, temporal.NewNonRetryableApplicationError(err.Error(), FailureDownstreamRejected, err)
	}
	// No upper bound: Shopify's timestamps have one-second resolution,
	// and an order updated since the run began is worth checking too.
	query := "updated_at:>=" + in.Since.UTC().Format(time.RFC3339)
	resp, err := admin.OrdersToReconcile(ctx, c, ordersPageSize, in.After, query)
	if err != nil {
		return UninvoicedOrdersPage{}, o.Retry.classify(ctx, err)
	}
	var page UninvoicedOrdersPage
	for _, ord := range resp.Orders.Nodes {
		paid := ord.DisplayFinancialStatus == admin.OrderDisplayFinancialStatusPaid || ord.DisplayFinancialStatus == admin.OrderDisplayFinancialStatusPartiallyPaid
		if !paid || !ord.CancelledAt.IsZero() {
			continue
		}
		page.Checked++
		if ord.LineItems.PageInfo.HasNextPage {
			return UninvoicedOrdersPage{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("order %s has more than 50 line items, more than reconciliation reads", ord.Name), FailureDownstreamRejected, nil)
		}
		id := int64(ord.LegacyResourceId)
		invoices, err := o.ERP.InvoicesOf(ctx, in.Shop, id)
		if err != nil {
			return UninvoicedOrdersPage{}, o.Retry.classify(ctx, err)
		}
		if len(invoices) > 0 {
			continue
		}
		body, err := json.Marshal(restOrder(ord))
		if err != nil {
			return UninvoicedOrdersPage{}, err
		}
		page.Orders = append(page.Orders, UninvoicedOrder{ID: id, Name: ord.Name, Payload: body})
	}
	if resp.Orders.PageInfo.HasNextPage {
		page.Next = resp.Orders.PageInfo.EndCursor
	}
	return page, nil
}

// restOrder renders an order as Shopify's orders/* webhooks do (REST
// shape), with the fields the order-sync path reads.
func restOrder(o admin.ReconcileOrder) map[string]any {
	lines := make([]map[string]any, 0, len(o.LineItems.Nodes))
	for _, li := range o.LineItems.Nodes {
		_, lineID, _ := admin.ParseGID(li.Id)
		line := map[string]any{"id": lineID, "sku": li.Sku, "title": li.Title, "quantity": li.Quantity,
			"price": li.OriginalUnitPriceSet.ShopMoney.Amount}
		if li.Variant != nil {
			line["variant_id"] = int64(li.Variant.LegacyResourceId)
		}
		if li.Product != nil {
			line["product_id"] = int64(li.Product.LegacyResourceId)
		}
		lines = append(lines, line)
	}
	out := map[string]any{
		"id": int64(o.LegacyResourceId), "admin_graphql_api_id": o.Id, "name": o.Name,
		"currency": string(o.CurrencyCode), "total_price": o.TotalPriceSet.ShopMoney.Amount, "line_items": lines,
		"financial_status": strings.ToLower(string(o.DisplayFinancialStatus)),
	}
	if a := o.ShippingAddress; a != nil {
		// Exactly the keys and nulls of the webhook's address: the
		// fulfillment request carries it, and both paths must send the
		// same body under the order's idempotency key.
		out["shipping_address"] = map[string]any{
			"first_name": orNull(a.FirstName), "last_name": orNull(a.LastName), "name": orNull(a.Name),
			"address1": orNull(a.Address1), "address2": orNull(a.Address2), "city": orNull(a.City),
			"company": orNull(a.Company), "province": orNull(a.Province), "province_code": orNull(a.ProvinceCode),
			"country": orNull(a.Country), "country_code": orNull(string(a.CountryCodeV2)), "zip": orNull(a.Zip),
			"phone": orNull(a.Phone), "latitude": a.Latitude, "longitude": a.Longitude,
		}
	}
	return out
}

// orNull renders Shopify's absent strings as the REST payloads do: null.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
