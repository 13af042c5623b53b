package activities

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/shopflow/shopflow/shopify/admin"
)

// ShopifyOptions configures the Shopify clients of the activities.
type ShopifyOptions struct {
	// Tokens maps each shop's domain to its Admin API access token.
	Tokens map[string]string
	// BaseURL replaces https://{shop}, e.g. the Shopify simulator's
	// address; empty for the real Shopify.
	BaseURL string
	// HTTP sends the requests; admin's default if nil.
	HTTP *http.Client
	// Metrics receives the clients' bucket and throttle figures; nil
	// records nothing.
	Metrics *admin.Metrics
	// Registry holds the per-shop bucket models; the process-wide one if
	// nil, so that every activity of a shop in the worker shares one
	// bucket.
	Registry *admin.Registry
	// Backfill limits what backfills take of each shop's bucket (a cap
	// and a reserved share for real-time work); see ForBackfill.
	Backfill admin.Budget
}

// ShopifyClients hands activities one Admin API client per shop. It is the
// one place activities get Shopify clients, so that every one of them
// leaves retrying 5xx, network errors and timeouts to Temporal's retry
// policy: one activity attempt sends a request once, and the attempt
// history of a dead letter tells the whole story. Waiting for the bucket
// and after THROTTLED stays in the client: that is flow control, not a
// failure. It is safe for concurrent use.
type ShopifyClients struct {
	opts      ShopifyOptions
	mu        sync.Mutex
	clients   map[string]*admin.Client
	backfills map[string]*admin.Client
}

// NewShopifyClients returns the clients for the shops in opts.Tokens.
func NewShopifyClients(opts ShopifyOptions) *ShopifyClients {
	tokens := make(map[string]string, len(opts.Tokens))
	for shop, token := range opts.Tokens {
		tokens[strings.ToLower(strings.TrimSpace(shop))] = token
	}
	opts.Tokens = tokens
	return &ShopifyClients{opts: opts, clients: map[string]*admin.Client{}, backfills: map[string]*admin.Client{}}
}

// For returns the client of shop. A shop without a token is a permanent
// failure of the activity asking: the worker's configuration must change.
func (c *ShopifyClients) For(shop string) (*admin.Client, error) {
	return c.client(shop, c.clients, admin.Budget{})
}

// ForBackfill returns the client backfills use for shop: it shares the
// shop's bucket with For's but keeps within ShopifyOptions.Backfill.
func (c *ShopifyClients) ForBackfill(shop string) (*admin.Client, error) {
	return c.client(shop, c.backfills, c.opts.Backfill)
}

func (c *ShopifyClients) client(shop string, clients map[string]*admin.Client, budget admin.Budget) (*admin.Client, error) {
	shop = strings.ToLower(strings.TrimSpace(shop))
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := clients[shop]; ok {
		return cl, nil
	}
	token, ok := c.opts.Tokens[shop]
	if !ok || token == "" {
		return nil, fmt.Errorf("no Shopify access token configured for %s", shop)
	}
	cl, err := admin.NewClient(admin.ForActivities(admin.Options{
		Shop: shop, AccessToken: token, BaseURL: c.opts.BaseURL,
		HTTP: c.opts.HTTP, Metrics: c.opts.Metrics, Registry: c.opts.Registry, Budget: budget,
	}))
	if err != nil {
		return nil, err
	}
	clients[shop] = cl
	return cl, nil
}
