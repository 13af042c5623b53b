package erp

import "time"

// Product is the ERP's master data for a SKU and the Shopify product it
// corresponds to.
type Product struct {
	SKU              string `json:"sku"`
	Name             string `json:"name"`
	ShopifyProductID int64  `json:"shopify_product_id"`
	// ShopifyVariantID is the Shopify variant the SKU stands for; 0 means
	// the entry applies to every variant of the product.
	ShopifyVariantID int64 `json:"shopify_variant_id,omitempty"`
}

// InvoiceLine is one line of an invoice. UnitPrice is a decimal string such
// as "19.99": money never goes through floats.
type InvoiceLine struct {
	SKU       string `json:"sku"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"unit_price"`
}

// InvoiceRequest is what CreateInvoice sends.
type InvoiceRequest struct {
	Shop      string        `json:"shop"`
	OrderID   int64         `json:"order_id"`
	OrderName string        `json:"order_name"`
	Currency  string        `json:"currency"`
	Lines     []InvoiceLine `json:"lines"`
	// Total is a decimal string.
	Total string `json:"total"`
}

// Invoice is an invoice as the ERP stored it.
type Invoice struct {
	ID        string        `json:"id"`
	Shop      string        `json:"shop"`
	OrderID   int64         `json:"order_id"`
	OrderName string        `json:"order_name"`
	Currency  string        `json:"currency"`
	Lines     []InvoiceLine `json:"lines"`
	Total     string        `json:"total"`
	CreatedAt time.Time     `json:"created_at"`
}

// FulfillmentLine is a SKU and the quantity to ship.
type FulfillmentLine struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// FulfillmentRequestInput is what CreateFulfillmentRequest sends.
type FulfillmentRequestInput struct {
	Shop      string            `json:"shop"`
	OrderID   int64             `json:"order_id"`
	InvoiceID string            `json:"invoice_id"`
	Lines     []FulfillmentLine `json:"lines"`
	// ShippingAddress is passed through to the ERP as a free-form object;
	// nil omits it.
	ShippingAddress map[string]any `json:"shipping_address,omitempty"`
}

// FulfillmentRequest is a fulfillment request as the ERP stored it.
type FulfillmentRequest struct {
	ID              string            `json:"id"`
	Shop            string            `json:"shop"`
	OrderID         int64             `json:"order_id"`
	InvoiceID       string            `json:"invoice_id"`
	Lines           []FulfillmentLine `json:"lines"`
	ShippingAddress map[string]any    `json:"shipping_address,omitempty"`
	CreatedAt       time.Time         `json:"created_at"`
}

// StockLevel is the quantity of a SKU available at one location.
type StockLevel struct {
	SKU       string `json:"sku"`
	Location  string `json:"location"`
	Available int    `json:"available"`
}
