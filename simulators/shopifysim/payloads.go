package shopifysim

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Webhook payloads use Shopify's REST resource shape (snake_case, numeric
// ids, admin_graphql_api_id), which is what Shopify sends for JSON
// subscriptions. Every field the published JSON schema (API 2026-07)
// requires is present; the customer (the order's own, customers.go) and
// addresses are fixed, obviously synthetic values.

// restTime formats a timestamp as Shopify's REST API does.
func restTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z07:00") }

func moneySet(cents int64, currency string) map[string]any {
	m := map[string]any{"amount": formatCents(cents), "currency_code": currency}
	return map[string]any{"shop_money": m, "presentment_money": m}
}

func syntheticAddress() map[string]any {
	return map[string]any{
		"first_name": "Sam", "last_name": "Simulated", "name": "Sam Simulated",
		"address1": "1 Example Street", "address2": nil, "city": "Ottawa", "company": nil,
		"province": "Ontario", "province_code": "ON", "country": "Canada", "country_code": "CA",
		"zip": "K1A0B1", "phone": "555-0100", "latitude": nil, "longitude": nil,
	}
}

// orderPayload is the orders/create and orders/updated body. Callers hold mu.
func (sh *shop) orderPayload(o *order) map[string]any {
	cur := o.Currency
	total := o.totalCents()
	zero := moneySet(0, cur)
	lines := make([]any, 0, len(o.LineItems))
	for _, li := range o.LineItems {
		price := parseCents(li.Price)
		var variantID, productID any
		productExists := false
		if li.Variant != nil {
			variantID = li.Variant.ID
		}
		if li.Product != nil {
			productID = li.Product.ID
			_, productExists = sh.productByID[li.Product.ID]
		}
		lines = append(lines, map[string]any{
			"id": li.ID, "admin_graphql_api_id": gql.GID("LineItem", li.ID),
			"attributed_staffs": []any{}, "current_quantity": li.Quantity,
			"fulfillable_quantity": li.Quantity, "fulfillment_service": "manual",
			"fulfillment_status": nil, "gift_card": false, "grams": 0,
			"name":  strings.TrimSuffix(li.Title+" - "+li.VTitle, " - Default Title"),
			"price": li.Price, "price_set": moneySet(price, cur), "product_exists": productExists,
			"product_id": productID, "properties": []any{}, "quantity": li.Quantity,
			"requires_shipping": true, "sku": li.SKU, "tax_lines": []any{}, "taxable": true,
			"title": li.Title, "total_discount": "0.00", "total_discount_set": zero,
			"variant_id": variantID, "variant_inventory_management": "shopify",
			"variant_title": li.VTitle, "vendor": li.Vendor, "duties": []any{},
			"discount_allocations": []any{},
		})
	}
	var cancelledAt, cancelReason any
	financial := strings.ToLower(o.Financial)
	if o.CancelledAt != nil {
		cancelledAt, cancelReason = restTime(*o.CancelledAt), "customer"
	}
	tags := strings.Join(o.Tags, ", ")
	customerID := orderCustomerID(o.Number)
	addr := syntheticAddress()
	defaultAddr := map[string]any{
		"id": customerID + 1, "customer_id": customerID, "first_name": "Sam", "last_name": "Simulated",
		"company": nil, "address1": "1 Example Street", "address2": nil, "city": "Ottawa",
		"province": "Ontario", "country": "Canada", "zip": "K1A0B1", "phone": "555-0100",
		"name": "Sam Simulated", "province_code": "ON", "country_code": "CA",
		"country_name": "Canada", "default": true,
	}
	totalStr := formatCents(total)
	return map[string]any{
		"id": o.ID, "admin_graphql_api_id": gql.GID("Order", o.ID), "app_id": nil,
		"billing_address": addr, "shipping_address": addr, "browser_ip": nil,
		"buyer_accepts_marketing": false, "cancel_reason": cancelReason, "cancelled_at": cancelledAt,
		"cart_token": nil, "checkout_token": nil, "client_details": nil, "closed_at": nil,
		"confirmation_number": fmt.Sprintf("SIM%06d", o.Number), "confirmed": true,
		"contact_email": o.Email, "email": o.Email, "created_at": restTime(o.CreatedAt),
		"updated_at": restTime(o.UpdatedAt), "processed_at": restTime(o.CreatedAt),
		"currency": cur, "presentment_currency": cur,
		"current_shipping_price_set": zero, "current_subtotal_price": totalStr,
		"current_subtotal_price_set": moneySet(total, cur), "current_total_additional_fees_set": nil,
		"current_total_discounts": "0.00", "current_total_discounts_set": zero,
		"current_total_duties_set": nil, "current_total_price": totalStr,
		"current_total_price_set": moneySet(total, cur), "current_total_tax": "0.00",
		"current_total_tax_set": zero,
		"customer": map[string]any{
			"id": customerID, "admin_graphql_api_id": gql.GID("Customer", customerID),
			"created_at": restTime(o.CreatedAt), "updated_at": restTime(o.CreatedAt),
			"first_name": "Sam", "last_name": "Simulated", "state": "disabled", "note": nil,
			"verified_email": true, "multipass_identifier": nil, "tax_exempt": false,
			"email": o.Email, "phone": nil, "currency": cur, "tax_exemptions": []any{},
			"default_address": defaultAddr,
		},
		"customer_locale": "en", "device_id": nil, "discount_applications": []any{},
		"discount_codes": []any{}, "duties_included": false, "estimated_taxes": false,
		"financial_status": financial, "fulfillment_status": nil, "fulfillments": []any{},
		"landing_site": nil, "landing_site_ref": nil, "line_item_groups": []any{},
		"line_items": lines, "location_id": nil,
		"merchant_business_entity_id": "MTAwMDAwMDAwMA", "merchant_of_record_app_id": nil,
		"name": o.Name, "note": nilIfEmpty(o.Note), "note_attributes": []any{},
		"number": o.Number - 1000, "order_number": o.Number,
		"order_status_url":                   fmt.Sprintf("https://%s/orders/%s/authenticate?key=sim", sh.cfg.Domain, o.Token),
		"original_total_additional_fees_set": nil, "original_total_duties_set": nil,
		"payment_gateway_names": []any{"bogus"}, "payment_terms": nil, "phone": nil,
		"po_number": nil, "reference": nil, "referring_site": nil, "refunds": []any{},
		"returns": []any{}, "shipping_lines": []any{}, "source_identifier": nil,
		"source_name": "web", "source_url": nil, "subtotal_price": totalStr,
		"subtotal_price_set": moneySet(total, cur), "tags": tags, "tax_exempt": false,
		"tax_lines": []any{}, "taxes_included": false, "test": true, "token": o.Token,
		"total_cash_rounding_payment_adjustment_set": zero,
		"total_cash_rounding_refund_adjustment_set":  zero,
		"total_discounts": "0.00", "total_discounts_set": zero,
		"total_line_items_price": totalStr, "total_line_items_price_set": moneySet(total, cur),
		"total_outstanding": "0.00", "total_price": totalStr, "total_price_set": moneySet(total, cur),
		"total_shipping_price_set": zero, "total_tax": "0.00", "total_tax_set": zero,
		"total_tip_received": "0.00", "total_weight": 0, "user_id": nil,
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// productPayload is the products/create and products/update body.
func productPayload(p *product) map[string]any {
	variants := make([]any, 0, len(p.Variants))
	gids := make([]any, 0, len(p.Variants))
	values := make([]any, 0, len(p.Variants))
	for _, v := range p.Variants {
		qty := 0
		for _, l := range v.Item.Levels {
			qty += l.Quantities["available"]
		}
		variants = append(variants, map[string]any{
			"id": v.ID, "admin_graphql_api_id": gql.GID("ProductVariant", v.ID), "product_id": p.ID,
			"title": v.Title, "price": v.Price, "position": v.Position, "sku": v.SKU,
			"barcode": nilIfEmpty(v.Barcode), "compare_at_price": nilIfEmpty(v.CompareAtPrice),
			"created_at": restTime(v.CreatedAt), "updated_at": restTime(v.UpdatedAt),
			"image_id": nil, "inventory_item_id": v.Item.ID, "inventory_policy": "deny",
			"inventory_quantity": qty, "old_inventory_quantity": qty, "option1": v.Title,
			"option2": nil, "option3": nil, "taxable": true,
		})
		gids = append(gids, map[string]any{
			"admin_graphql_api_id": gql.GID("ProductVariant", v.ID), "updated_at": restTime(v.UpdatedAt),
		})
		values = append(values, v.Title)
	}
	var published any
	if p.Status == "ACTIVE" {
		published = restTime(p.CreatedAt)
	}
	imageID := p.ID + 7
	image := map[string]any{
		"id": imageID, "admin_graphql_api_id": gql.GID("ProductImage", imageID), "product_id": p.ID,
		"position": 1, "alt": nil, "width": 800, "height": 800, "variant_ids": []any{},
		"src":        fmt.Sprintf("https://cdn.shopify.com/s/files/sim/%d.png", p.ID),
		"created_at": restTime(p.CreatedAt), "updated_at": restTime(p.UpdatedAt),
	}
	return map[string]any{
		"id": p.ID, "admin_graphql_api_id": gql.GID("Product", p.ID), "title": p.Title,
		"body_html": p.BodyHTML, "vendor": p.Vendor, "product_type": p.ProductType,
		"handle": p.Handle, "status": strings.ToLower(p.Status), "tags": strings.Join(p.Tags, ", "),
		"created_at": restTime(p.CreatedAt), "updated_at": restTime(p.UpdatedAt),
		"published_at": published, "published_scope": "global", "template_suffix": nil,
		"has_variants_that_requires_components": false, "category": nil,
		"variants": variants, "variant_gids": gids,
		"options": []any{map[string]any{
			"id": p.ID + 3, "product_id": p.ID, "name": "Title", "position": 1, "values": values,
		}},
		"image": image, "images": []any{image}, "media": []any{},
	}
}

// inventoryLevelPayload is the inventory_levels/update body.
func inventoryLevelPayload(l *inventoryLevel) map[string]any {
	return map[string]any{
		"inventory_item_id":    l.Item.ID,
		"location_id":          l.Location.ID,
		"available":            l.Quantities["available"],
		"updated_at":           restTime(l.UpdatedAt),
		"admin_graphql_api_id": l.gid(),
	}
}
