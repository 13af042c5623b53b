package erpsim

import "time"

// Product is the ERP's master data for one SKU and the Shopify product (and
// optionally variant) it corresponds to.
type Product struct {
	SKU              string `json:"sku"`
	Name             string `json:"name"`
	ShopifyProductID int64  `json:"shopify_product_id"`
	// ShopifyVariantID 0 means the entry applies to any variant.
	ShopifyVariantID int64 `json:"shopify_variant_id"`
}

// InvoiceLine is one priced line of an invoice. Money is a decimal string so
// no precision is lost in floats.
type InvoiceLine struct {
	SKU       string `json:"sku"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"unit_price"`
}

// Invoice is an invoice the ERP has created for a Shopify order.
type Invoice struct {
	ID        string        `json:"id"`
	Shop      string        `json:"shop"`
	OrderID   int64         `json:"order_id"`
	OrderName string        `json:"order_name,omitempty"`
	Currency  string        `json:"currency"`
	Lines     []InvoiceLine `json:"lines"`
	Total     string        `json:"total"`
	CreatedAt time.Time     `json:"created_at"`
}

// FulfillmentLine is one SKU and quantity to ship.
type FulfillmentLine struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// FulfillmentRequest asks the ERP's warehouse to ship lines of an invoiced
// order.
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

// invoiceInput is the body of POST /v1/invoices.
type invoiceInput struct {
	Shop      string        `json:"shop"`
	OrderID   int64         `json:"order_id"`
	OrderName string        `json:"order_name"`
	Currency  string        `json:"currency"`
	Lines     []InvoiceLine `json:"lines"`
	Total     string        `json:"total"`
}

// fulfillmentInput is the body of POST /v1/fulfillment-requests.
type fulfillmentInput struct {
	Shop            string            `json:"shop"`
	OrderID         int64             `json:"order_id"`
	InvoiceID       string            `json:"invoice_id"`
	Lines           []FulfillmentLine `json:"lines"`
	ShippingAddress map[string]any    `json:"shipping_address"`
}

// stockInput is the body of PUT /v1/stock/{sku}/{location}.
type stockInput struct {
	Available *int `json:"available"`
	// Version, if set, makes the write conditional: it is applied only
	// if no newer version is stored.
	Version *time.Time `json:"version"`
}
