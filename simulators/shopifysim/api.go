package shopifysim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Product is a snapshot of a simulated product.
type Product struct {
	ID        string    `json:"id"` // GID
	Title     string    `json:"title"`
	Handle    string    `json:"handle"`
	Status    string    `json:"status"`
	UpdatedAt time.Time `json:"updatedAt"`
	Variants  []Variant `json:"variants"`
}

// Variant is a snapshot of a simulated product variant.
type Variant struct {
	ID              string `json:"id"` // GID
	SKU             string `json:"sku"`
	Price           string `json:"price"`
	InventoryItemID string `json:"inventoryItemId"` // GID
}

// Location is a snapshot of a simulated location.
type Location struct {
	ID   string `json:"id"` // GID
	Name string `json:"name"`
}

// OrderInput describes an order to create.
type OrderInput struct {
	// LineItems name what was bought; each needs a VariantID or a ProductID
	// (then its first variant is used).
	LineItems []LineItemInput `json:"lineItems"`
	// Email defaults to a generated example.com address.
	Email string `json:"email,omitempty"`
	// Currency defaults to USD.
	Currency string   `json:"currency,omitempty"`
	Note     string   `json:"note,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

// LineItemInput is one line of an OrderInput. IDs may be GIDs or numbers.
type LineItemInput struct {
	VariantID string `json:"variantId,omitempty"`
	ProductID string `json:"productId,omitempty"`
	Quantity  int    `json:"quantity"`
}

// Order is a snapshot of a simulated order.
type Order struct {
	ID         string     `json:"id"` // GID
	Name       string     `json:"name"`
	Number     int        `json:"number"`
	TotalPrice string     `json:"totalPrice"`
	Currency   string     `json:"currency"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	LineItems  []LineItem `json:"lineItems"`
	// CustomerID is the GID of the order's customer, which can own
	// metafields.
	CustomerID string `json:"customerId,omitempty"`
}

// LineItem is a snapshot of one order line.
type LineItem struct {
	ID        string `json:"id"`
	VariantID string `json:"variantId"`
	ProductID string `json:"productId"`
	SKU       string `json:"sku"`
	Title     string `json:"title"`
	Quantity  int    `json:"quantity"`
	Price     string `json:"price"`
}

// ErrNotFound is returned (wrapped) when a referenced resource does not
// exist.
var ErrNotFound = errors.New("not found")

// ErrUnknownShop is returned (wrapped) for a shop domain the simulator does
// not serve.
var ErrUnknownShop = errors.New("unknown shop")

// CreateOrder creates a paid, unfulfilled order, commits its stock at the
// first location that has it (emitting inventory_levels/update) and emits
// orders/create.
func (s *Simulator) CreateOrder(shopDomain string, in OrderInput) (Order, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return Order{}, err
	}
	if len(in.LineItems) == 0 {
		return Order{}, fmt.Errorf("shopifysim: an order needs at least one line item")
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.now()
	o := &order{
		ID: sh.id(), Email: in.Email, Currency: in.Currency, Note: in.Note, Tags: in.Tags,
		CreatedAt: now, UpdatedAt: now, Financial: "PAID", Fulfillment: "UNFULFILLED",
		Token: strings.ReplaceAll(uuid.NewString(), "-", ""),
	}
	if o.Currency == "" {
		o.Currency = "USD"
	}
	for i, li := range in.LineItems {
		v, err := sh.lineVariant(li)
		if err != nil {
			return Order{}, fmt.Errorf("shopifysim: line item %d: %w", i, err)
		}
		if li.Quantity <= 0 {
			return Order{}, fmt.Errorf("shopifysim: line item %d: quantity must be positive", i)
		}
		o.LineItems = append(o.LineItems, &lineItem{
			ID: sh.id(), Variant: v, Product: v.Product, Title: v.Product.Title, VTitle: v.Title,
			SKU: v.SKU, Vendor: v.Product.Vendor, Quantity: li.Quantity, Price: v.Price,
		})
	}
	sh.orderNumber++
	o.Number = sh.orderNumber
	o.Name = fmt.Sprintf("#%d", o.Number)
	if o.Email == "" {
		o.Email = fmt.Sprintf("customer%d@example.com", o.Number)
	}
	sh.addOrderCustomer(o)
	sh.orders = append(sh.orders, o)
	sh.orderByID[o.ID] = o
	for _, li := range o.LineItems {
		if l := sh.commitStock(li.Variant.Item, li.Quantity); l != nil {
			l.UpdatedAt = now
			sh.emit("inventory_levels/update", inventoryLevelPayload(l))
		}
	}
	sh.emit("orders/create", sh.orderPayload(o))
	return o.snapshot(), nil
}

// lineVariant resolves a line item's variant. Callers hold mu.
func (sh *shop) lineVariant(li LineItemInput) (*variant, error) {
	if li.VariantID != "" {
		id, ok := gql.ParseID(li.VariantID, "ProductVariant")
		if v := sh.variantByID[id]; ok && v != nil {
			return v, nil
		}
		return nil, fmt.Errorf("variant %q: %w", li.VariantID, ErrNotFound)
	}
	id, ok := gql.ParseID(li.ProductID, "Product")
	if p := sh.productByID[id]; ok && p != nil && len(p.Variants) > 0 {
		return p.Variants[0], nil
	}
	return nil, fmt.Errorf("product %q: %w", li.ProductID, ErrNotFound)
}

// commitStock moves qty from available to committed at the first location
// stocking the item with enough available (else the first location), as an
// order does. Callers hold mu.
func (sh *shop) commitStock(it *inventoryItem, qty int) *inventoryLevel {
	if it == nil || len(it.Levels) == 0 || !it.Tracked {
		return nil
	}
	l := it.Levels[0]
	for _, c := range it.Levels {
		if c.Quantities["available"] >= qty {
			l = c
			break
		}
	}
	l.Quantities["available"] -= qty
	l.Quantities["committed"] += qty
	return l
}

func (o *order) snapshot() Order {
	out := Order{
		ID: gql.GID("Order", o.ID), Name: o.Name, Number: o.Number, Currency: o.Currency,
		TotalPrice: formatCents(o.totalCents()), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}
	if o.Customer != nil {
		out.CustomerID = gql.GID("Customer", o.Customer.ID)
	}
	for _, li := range o.LineItems {
		out.LineItems = append(out.LineItems, LineItem{
			ID: gql.GID("LineItem", li.ID), VariantID: gql.GID("ProductVariant", li.Variant.ID),
			ProductID: gql.GID("Product", li.Product.ID), SKU: li.SKU, Title: li.Title,
			Quantity: li.Quantity, Price: li.Price,
		})
	}
	return out
}

// OrderUpdate changes an order; nil fields are left alone.
type OrderUpdate struct {
	Note   *string  `json:"note,omitempty"`
	Tags   []string `json:"tags,omitempty"`
	Cancel bool     `json:"cancel,omitempty"`
}

// UpdateOrder changes an order and emits orders/updated.
func (s *Simulator) UpdateOrder(shopDomain, orderID string, u OrderUpdate) (Order, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return Order{}, err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	id, _ := gql.ParseID(orderID, "Order")
	o := sh.orderByID[id]
	if o == nil {
		return Order{}, fmt.Errorf("shopifysim: order %q: %w", orderID, ErrNotFound)
	}
	now := sh.now()
	if u.Note != nil {
		o.Note = *u.Note
	}
	if u.Tags != nil {
		o.Tags = u.Tags
	}
	if u.Cancel && o.CancelledAt == nil {
		o.CancelledAt = &now
		o.Financial = "REFUNDED"
	}
	o.UpdatedAt = now
	sh.emit("orders/updated", sh.orderPayload(o))
	return o.snapshot(), nil
}

// Catalog returns a snapshot of the shop's products in id order.
func (s *Simulator) Catalog(shopDomain string) ([]Product, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return nil, err
	}
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	out := make([]Product, 0, len(sh.products))
	for _, p := range sh.products {
		out = append(out, p.snapshot())
	}
	return out, nil
}

func (p *product) snapshot() Product {
	out := Product{ID: gql.GID("Product", p.ID), Title: p.Title, Handle: p.Handle, Status: p.Status, UpdatedAt: p.UpdatedAt}
	for _, v := range p.Variants {
		out.Variants = append(out.Variants, Variant{
			ID: gql.GID("ProductVariant", v.ID), SKU: v.SKU, Price: v.Price,
			InventoryItemID: gql.GID("InventoryItem", v.Item.ID),
		})
	}
	return out
}

// Locations returns the shop's locations.
func (s *Simulator) Locations(shopDomain string) ([]Location, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return nil, err
	}
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	out := make([]Location, 0, len(sh.locations))
	for _, l := range sh.locations {
		out = append(out, Location{ID: gql.GID("Location", l.ID), Name: l.Name})
	}
	return out, nil
}

// Quantities returns the named quantities of an inventory item at a
// location ("available", "on_hand", "committed", ...).
func (s *Simulator) Quantities(shopDomain, inventoryItemID, locationID string) (map[string]int, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return nil, err
	}
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	l, err := sh.level(inventoryItemID, locationID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(quantityNames))
	for _, n := range quantityNames {
		out[n] = l.Quantities[n]
	}
	return out, nil
}

// level is findLevel for the Go API: a missing item, location or level is
// an error wrapping ErrNotFound. Callers hold mu.
func (sh *shop) level(itemID, locationID string) (*inventoryLevel, error) {
	l, lerr := sh.findLevel(itemID, locationID)
	if lerr != nil {
		return nil, fmt.Errorf("shopifysim: inventory item %q at location %q: %w", itemID, locationID, lerr)
	}
	return l, nil
}

// SetStock sets a named quantity ("available" when name is empty) of an
// inventory item at a location, as a merchant would in the Shopify admin,
// and emits inventory_levels/update.
func (s *Simulator) SetStock(shopDomain, inventoryItemID, locationID, name string, quantity int) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	if name == "" {
		name = "available"
	}
	if !validQuantityName(name) {
		return fmt.Errorf("shopifysim: unknown quantity name %q", name)
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	l, err := sh.level(inventoryItemID, locationID)
	if err != nil {
		return err
	}
	l.setQuantity(name, quantity)
	l.UpdatedAt = sh.now()
	sh.emit("inventory_levels/update", inventoryLevelPayload(l))
	return nil
}

// ProductInput creates or updates a product; zero fields are left alone on
// update.
type ProductInput struct {
	Title       string   `json:"title,omitempty"`
	Vendor      string   `json:"vendor,omitempty"`
	ProductType string   `json:"productType,omitempty"`
	Status      string   `json:"status,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	// SKUs creates one variant per SKU (create only); empty means one
	// variant without SKU.
	SKUs []string `json:"skus,omitempty"`
	// Price of every new variant; defaults to "10.00".
	Price string `json:"price,omitempty"`
}

// CreateProduct creates a product stocked (at zero) at every location and
// emits products/create.
func (s *Simulator) CreateProduct(shopDomain string, in ProductInput) (Product, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return Product{}, err
	}
	if in.Title == "" {
		return Product{}, fmt.Errorf("shopifysim: a product needs a title")
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.now()
	sh.ensureLocations(1, now)
	p := &product{ID: sh.id(), Title: in.Title, Vendor: in.Vendor, ProductType: in.ProductType,
		Status: "ACTIVE", Tags: in.Tags, CreatedAt: now, UpdatedAt: now}
	if in.Status != "" {
		p.Status = strings.ToUpper(in.Status)
	}
	p.Handle = handleize(in.Title, p.ID)
	skus := in.SKUs
	if len(skus) == 0 {
		skus = []string{""}
	}
	price := in.Price
	if price == "" {
		price = "10.00"
	}
	for j, sku := range skus {
		v := &variant{ID: sh.id(), Product: p, Title: variantTitle(j, len(skus)), SKU: sku,
			Price: price, Position: j + 1, CreatedAt: now, UpdatedAt: now}
		sh.addInventoryItem(v, sh.locations, func(int) int { return 0 }, now)
		p.Variants = append(p.Variants, v)
		sh.variantByID[v.ID] = v
	}
	sh.insertProduct(p)
	sh.emit("products/create", productPayload(p))
	return p.snapshot(), nil
}

func handleize(title string, id int64) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	h := strings.TrimSuffix(b.String(), "-")
	if h == "" {
		h = fmt.Sprintf("product-%d", id)
	}
	return h
}

// UpdateProduct changes a product and emits products/update.
func (s *Simulator) UpdateProduct(shopDomain, productID string, in ProductInput) (Product, error) {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return Product{}, err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	id, _ := gql.ParseID(productID, "Product")
	p := sh.productByID[id]
	if p == nil {
		return Product{}, fmt.Errorf("shopifysim: product %q: %w", productID, ErrNotFound)
	}
	if in.Title != "" {
		p.Title = in.Title
	}
	if in.Vendor != "" {
		p.Vendor = in.Vendor
	}
	if in.ProductType != "" {
		p.ProductType = in.ProductType
	}
	if in.Status != "" {
		p.Status = strings.ToUpper(in.Status)
	}
	if in.Tags != nil {
		p.Tags = in.Tags
	}
	if in.Price != "" {
		for _, v := range p.Variants {
			v.Price = in.Price
			v.UpdatedAt = sh.now()
		}
	}
	p.UpdatedAt = sh.now()
	sh.emit("products/update", productPayload(p))
	return p.snapshot(), nil
}

// DeleteProduct deletes a product and emits products/delete.
func (s *Simulator) DeleteProduct(shopDomain, productID string) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	id, _ := gql.ParseID(productID, "Product")
	p := sh.productByID[id]
	if p == nil {
		return fmt.Errorf("shopifysim: product %q: %w", productID, ErrNotFound)
	}
	sh.removeProduct(p)
	sh.emit("products/delete", map[string]any{"id": p.ID})
	return nil
}
