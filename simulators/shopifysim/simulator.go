package shopifysim

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Plan is a Shopify plan; it sets the size and restore rate of a shop's
// GraphQL cost bucket.
type Plan string

// Plans with the GraphQL Admin API limits Shopify publishes for them.
const (
	PlanStandard Plan = "standard" // 2,000 points, restoring 100 points/s
	PlanAdvanced Plan = "advanced" // 4,000 points, restoring 200 points/s
	PlanPlus     Plan = "plus"     // 20,000 points, restoring 1,000 points/s
)

// limits returns the bucket size and restore rate (points per second) of p.
// An unknown or empty plan is treated as Standard.
func (p Plan) limits() (maximum, restoreRate float64) {
	switch p {
	case PlanAdvanced:
		return 4000, 200
	case PlanPlus:
		return 20000, 1000
	default:
		return 2000, 100
	}
}

// ParsePlan turns "standard", "advanced" or "plus" (any case) into a Plan.
func ParsePlan(s string) (Plan, error) {
	switch Plan(strings.ToLower(strings.TrimSpace(s))) {
	case PlanStandard, "":
		return PlanStandard, nil
	case PlanAdvanced:
		return PlanAdvanced, nil
	case PlanPlus, "shopify_plus":
		return PlanPlus, nil
	}
	return "", fmt.Errorf("shopifysim: unknown plan %q (want standard, advanced or plus)", s)
}

// ShopConfig describes one simulated shop and the app installed on it.
type ShopConfig struct {
	// Domain is the shop's myshopify domain, e.g. "dev-shop.myshopify.com".
	Domain string
	// AccessToken is the Admin API access token the app must send in
	// X-Shopify-Access-Token.
	AccessToken string
	// WebhookSecret is the app's client secret; webhook deliveries are signed
	// with it.
	WebhookSecret string
	// Plan sets the GraphQL cost bucket; empty means PlanStandard.
	Plan Plan
}

// Config configures a Simulator.
type Config struct {
	// Shops are the shops the simulator serves.
	Shops []ShopConfig
	// WebhookTimeScale multiplies every webhook delay (retry backoff and
	// response timeout) so tests can run Shopify's 4-hour retry schedule in
	// milliseconds. Zero means 1 (real time).
	WebhookTimeScale float64
	// Clock returns the current time; it drives timestamps, the cost bucket's
	// restore and the idempotency key retention. Nil means time.Now.
	Clock func() time.Time
	// Logger receives structured logs; nil discards them. The simulator never
	// logs access tokens, secrets or customer data.
	Logger *slog.Logger
	// BulkOperationDuration is how long a bulk operation stays RUNNING at
	// least, so clients can observe the CREATED → RUNNING → COMPLETED
	// progression and the concurrency limit. Zero finishes as fast as the
	// data allows.
	BulkOperationDuration time.Duration
	// BulkObjectsPerSecond is how fast a bulk query writes objects: a query
	// of n objects stays RUNNING n/BulkObjectsPerSecond seconds (at least
	// BulkOperationDuration), its objectCount growing meanwhile, so that
	// polling, cancelling and the concurrency limit meet a realistic run.
	// Zero finishes as fast as the data allows.
	BulkObjectsPerSecond float64
	// BulkOperationRetention is how long a completed bulk operation's JSONL
	// result is kept, measured on Clock. Afterwards the operation's status
	// is EXPIRED, its url is null and the result is dropped from memory.
	// Zero means seven days, how long Shopify's result URLs stay valid.
	BulkOperationRetention time.Duration
	// Seed makes the simulator's randomness (fault injection, JSONL row
	// order, webhook reordering) reproducible. Zero means 1.
	Seed uint64
	// BaseURL is the externally visible URL of the simulator, used in bulk
	// operation result URLs. Empty means it is taken from each request's Host.
	BaseURL string
	// AllowLoopbackWebhooks lets webhookSubscriptionCreate accept plain
	// http callback URLs on loopback hosts (127.0.0.0/8, localhost, ::1),
	// which Shopify refuses, for the dev stack and tests whose receivers
	// listen there. The Go API's Subscribe and /sim/ never check URLs.
	AllowLoopbackWebhooks bool
}

// Simulator serves simulated Shopify shops. Create it with New; it is safe
// for concurrent use.
type Simulator struct {
	cfg    Config
	log    *slog.Logger
	clock  func() time.Time
	scale  float64
	mu     sync.RWMutex
	shops  map[string]*shop // by domain
	byTok  map[string]*shop // by access token
	hooks  *dispatcher
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns a Simulator serving cfg.Shops.
func New(cfg Config) *Simulator {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.WebhookTimeScale <= 0 {
		cfg.WebhookTimeScale = 1
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Simulator{
		cfg:    cfg,
		log:    cfg.Logger,
		clock:  cfg.Clock,
		scale:  cfg.WebhookTimeScale,
		shops:  make(map[string]*shop),
		byTok:  make(map[string]*shop),
		ctx:    ctx,
		cancel: cancel,
	}
	s.hooks = newDispatcher(s)
	for _, sc := range cfg.Shops {
		s.AddShop(sc)
	}
	return s
}

// AddShop adds a shop (or replaces one with the same domain, dropping its
// data).
func (s *Simulator) AddShop(sc ShopConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.shops[sc.Domain]; ok {
		delete(s.byTok, old.cfg.AccessToken)
	}
	sh := newShop(s, sc)
	s.shops[sc.Domain] = sh
	s.byTok[sc.AccessToken] = sh
}

// Shops returns the domains of the simulated shops, sorted.
func (s *Simulator) Shops() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.shops))
	for d := range s.shops {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// Close stops pending webhook deliveries and bulk operations.
func (s *Simulator) Close() {
	s.cancel()
	s.hooks.wait()
}

// shop returns the shop with the given domain.
func (s *Simulator) shop(domain string) (*shop, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sh, ok := s.shops[domain]
	if !ok {
		return nil, fmt.Errorf("shopifysim: shop %q: %w", domain, ErrUnknownShop)
	}
	return sh, nil
}

// authenticate finds the shop an Admin API request is for. The host names
// the shop when it is a simulated shop's domain; otherwise the access token
// alone does (tokens are per shop and app, as on Shopify).
func (s *Simulator) authenticate(host, token string) *shop {
	if token == "" {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	if sh, ok := s.shops[host]; ok {
		if sh.cfg.AccessToken == token {
			return sh
		}
		return nil
	}
	return s.byTok[token]
}

// Handler returns the HTTP handler serving the Admin API and the /sim/
// endpoints.
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /admin/api/{version}/graphql.json", s.serveGraphQL)
	mux.HandleFunc("POST /sim/staged-uploads/{shop}", s.serveStagedUpload)
	mux.HandleFunc("/", serveNotFound)
	s.registerAdmin(mux)
	return mux
}
