package shopifysim

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// shop is one simulated shop: its catalog, orders, subscriptions, bucket,
// idempotency keys, bulk operations, faults and counters. mu guards the
// data; GraphQL queries hold it for reading, mutations for writing.
type shop struct {
	sim *Simulator
	cfg ShopConfig

	mu          sync.RWMutex
	nextID      int64
	products    []*product // sorted by id
	productByID map[int64]*product
	variantByID map[int64]*variant
	itemByID    map[int64]*inventoryItem
	levelByID   map[int64]*inventoryLevel
	locations   []*location
	locByID     map[int64]*location
	orders      []*order
	orderByID   map[int64]*order
	customers   map[int64]*customer // by id: each order's buyer (customers.go)
	metafields  map[int64]*metafield
	shopFields  []*metafield // metafields owned by the shop itself
	subs        []*subscription
	adjGroups   map[int64]*adjustmentGroup
	bulkOps     []*bulkOperation
	staged      map[string][]byte // staged uploads by key, for bulk mutations
	// productOps are asynchronous productSet and productDelete
	// operations by id.
	productOps  map[int64]*productOperation
	orderNumber int

	bucket *bucket
	idem   *idempotencyStore

	fmu    sync.Mutex // guards faults and rng
	faults Faults
	rng    *rand.Rand

	stats *statsCounter
}

func newShop(s *Simulator, cfg ShopConfig) *shop {
	maximum, rate := cfg.Plan.limits()
	sh := &shop{
		sim:         s,
		cfg:         cfg,
		nextID:      1_000_000_000,
		productByID: make(map[int64]*product),
		variantByID: make(map[int64]*variant),
		itemByID:    make(map[int64]*inventoryItem),
		levelByID:   make(map[int64]*inventoryLevel),
		locByID:     make(map[int64]*location),
		orderByID:   make(map[int64]*order),
		metafields:  make(map[int64]*metafield),
		adjGroups:   make(map[int64]*adjustmentGroup),
		orderNumber: 1000,
		bucket:      newBucket(maximum, rate, s.clock()),
		rng:         rand.New(rand.NewPCG(s.cfg.Seed, hashString(cfg.Domain))),
		stats:       newStatsCounter(),
	}
	// A key's applied count is only meaningful while the key can be
	// replayed; dropping it with the key keeps Stats bounded.
	sh.idem = newIdempotencyStore(func(key string) {
		sh.stats.add(func(st *Stats) { delete(st.MutationsApplied, key) })
	})
	return sh
}

// id hands out the shop's next resource id. Callers hold mu for writing.
func (sh *shop) id() int64 {
	sh.nextID++
	return sh.nextID
}

// now is the simulator's clock, truncated to seconds as Shopify's
// timestamps are.
func (sh *shop) now() time.Time { return sh.sim.clock().UTC().Truncate(time.Second) }

func hashString(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

type product struct {
	ID          int64
	Title       string
	Handle      string
	Vendor      string
	ProductType string
	Status      string // ACTIVE, DRAFT, ARCHIVED
	Tags        []string
	BodyHTML    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Variants    []*variant
	Metafields  []*metafield
	// Options are set by productSet's productOptions; when empty the
	// product has one option, Title (see options).
	Options []*productOption
	// SEOTitle and SEODescription are Product.seo; "" is null.
	SEOTitle, SEODescription string
}

type variant struct {
	ID      int64
	Product *product
	Title   string
	SKU     string
	Barcode string
	Price   string
	// CompareAtPrice is "" when the variant has none.
	CompareAtPrice string
	Position       int
	Item           *inventoryItem
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Metafields are the variant's own (metafieldsSet on a variant).
	Metafields []*metafield
	// OptionValues are the variant's value of each of its product's
	// Options, when the product has some.
	OptionValues []string
}

type inventoryItem struct {
	ID        int64
	Variant   *variant
	Tracked   bool
	Levels    []*inventoryLevel // in location order
	CreatedAt time.Time
	UpdatedAt time.Time
}

type inventoryLevel struct {
	ID         int64
	Item       *inventoryItem
	Location   *location
	Quantities map[string]int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// quantityNames are the inventory states Shopify exposes through
// InventoryLevel.quantities(names:).
var quantityNames = []string{"available", "on_hand", "committed", "reserved", "incoming", "damaged", "quality_control", "safety_stock"}

func validQuantityName(n string) bool {
	for _, q := range quantityNames {
		if q == n {
			return true
		}
	}
	return false
}

// setQuantity sets one named quantity and keeps on_hand consistent with
// Shopify's rule on_hand = available + committed + reserved + damaged +
// quality_control + safety_stock.
func (l *inventoryLevel) setQuantity(name string, q int) {
	old := l.Quantities[name]
	l.Quantities[name] = q
	switch name {
	case "on_hand":
		l.Quantities["available"] += q - old
	case "available", "committed", "reserved", "damaged", "quality_control", "safety_stock":
		l.Quantities["on_hand"] += q - old
	}
}

func (l *inventoryLevel) gid() string {
	return fmt.Sprintf("gid://shopify/InventoryLevel/%d?inventory_item_id=%d", l.ID, l.Item.ID)
}

type location struct {
	ID        int64
	Name      string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

type metafield struct {
	ID        int64
	OwnerGID  string
	OwnerType string
	Namespace string
	Key       string
	Type      string
	Value     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type order struct {
	ID          int64
	Name        string
	Number      int
	Email       string
	Currency    string
	Note        string
	Tags        []string
	LineItems   []*lineItem
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CancelledAt *time.Time
	Financial   string // PAID, PENDING, ...
	Fulfillment string // UNFULFILLED, FULFILLED
	Token       string
	Customer    *customer
	Metafields  []*metafield
}

type lineItem struct {
	ID       int64
	Variant  *variant
	Product  *product
	Title    string
	VTitle   string
	SKU      string
	Vendor   string
	Quantity int
	Price    string
}

// total sums the line items' prices, in cents.
func (o *order) totalCents() int64 {
	var t int64
	for _, li := range o.LineItems {
		t += parseCents(li.Price) * int64(li.Quantity)
	}
	return t
}

type subscription struct {
	ID      int64
	Topic   string // enum form, e.g. ORDERS_CREATE
	URI     string
	Format  string
	Filter  string
	Include []string
	// Name, MetafieldNamespaces and Metafields are stored as given
	// (metafields as namespace/key pairs); payloads do not carry them.
	Name                string
	MetafieldNamespaces []string
	Metafields          [][2]string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

type adjustmentGroup struct {
	ID        int64
	Reason    string
	RefURI    string
	CreatedAt time.Time
	Changes   []inventoryChange
}

type inventoryChange struct {
	Name     string
	Delta    int
	After    int
	Item     *inventoryItem
	Location *location
	Ledger   string
}

// insertProduct adds p keeping products sorted by id.
func (sh *shop) insertProduct(p *product) {
	sh.productByID[p.ID] = p
	n := len(sh.products)
	if n == 0 || sh.products[n-1].ID < p.ID {
		sh.products = append(sh.products, p)
		return
	}
	i := sort.Search(n, func(i int) bool { return sh.products[i].ID >= p.ID })
	sh.products = append(sh.products, nil)
	copy(sh.products[i+1:], sh.products[i:])
	sh.products[i] = p
}

func (sh *shop) removeProduct(p *product) {
	delete(sh.productByID, p.ID)
	for i, q := range sh.products {
		if q == p {
			sh.products = append(sh.products[:i], sh.products[i+1:]...)
			break
		}
	}
	for _, v := range p.Variants {
		for _, m := range v.Metafields {
			delete(sh.metafields, m.ID)
		}
		delete(sh.variantByID, v.ID)
		delete(sh.itemByID, v.Item.ID)
		for _, l := range v.Item.Levels {
			delete(sh.levelByID, l.ID)
		}
	}
	for _, m := range p.Metafields {
		delete(sh.metafields, m.ID)
	}
}
