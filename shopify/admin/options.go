package admin

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// DefaultAPIVersion is the Admin API version the operations were
// generated against.
const DefaultAPIVersion = "2026-10"

// Options configure a Client.
type Options struct {
	// Shop is the shop's myshopify domain, e.g. "x.myshopify.com".
	Shop string
	// AccessToken is the Admin API access token; it is sent as
	// X-Shopify-Access-Token and never logged or put in errors.
	AccessToken string
	// APIVersion defaults to DefaultAPIVersion.
	APIVersion string
	// BaseURL replaces https://{Shop}, e.g. a simulator's address.
	BaseURL string
	// HTTP is the HTTP client; defaults to one with a 60 s timeout.
	HTTP *http.Client
	// Metrics, if set, receives the Prometheus figures.
	Metrics *Metrics
	// Registry holds the shared per-shop limiters; defaults to the
	// process-wide one, so that every Client of a shop shares one bucket.
	Registry *Registry

	// MaxThrottleRetries bounds retries after THROTTLED or HTTP 429/503
	// answers (default 20); MaxErrorRetries bounds retries after 5xx and
	// network errors (default 4). Negative means no retries.
	MaxThrottleRetries int
	MaxErrorRetries    int
	// BackoffBase and BackoffMax shape the exponential backoff after 5xx and
	// network errors (defaults 500 ms and 15 s).
	BackoffBase time.Duration
	BackoffMax  time.Duration
}

func (o *Options) setDefaults() error {
	o.Shop = strings.TrimSpace(o.Shop)
	if o.Shop == "" {
		return errors.New("admin: Options.Shop is required")
	}
	if o.AccessToken == "" {
		return errors.New("admin: Options.AccessToken is required")
	}
	if o.APIVersion == "" {
		o.APIVersion = DefaultAPIVersion
	}
	if o.BaseURL == "" {
		o.BaseURL = "https://" + o.Shop
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if o.Registry == nil {
		o.Registry = defaultRegistry
	}
	if o.MaxThrottleRetries == 0 {
		o.MaxThrottleRetries = 20
	}
	if o.MaxErrorRetries == 0 {
		o.MaxErrorRetries = 4
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 500 * time.Millisecond
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 15 * time.Second
	}
	return nil
}
