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

// GraphQLPath is the path of the GraphQL Admin API of version, e.g.
// /admin/api/2026-10/graphql.json: the one place that spells it, so that
// the client's endpoint and the addresses printed for people agree.
func GraphQLPath(version string) string {
	return "/admin/api/" + version + "/graphql.json"
}

// Options configure a Client.
//
// The client has two kinds of retry. Waiting for the shop's bucket, and
// after THROTTLED, HTTP 429 or a 503 with Retry-After, is flow control:
// Shopify said when to come back, so the client always does it itself
// (bounded by MaxThrottleRetries). Retrying after a 5xx, a network error
// or a timeout (bounded by MaxErrorRetries) is error handling, and suits
// a command line that has no other retry layer, such as starter setup
// webhooks.
//
// Inside a Temporal activity, build the Options with ForActivities. There
// the activity's retry policy is the one retry layer for errors: with the
// client's 4 default error retries under an activity's 5 attempts, one
// request could be sent 25 times, and the policy's backoff, maximum
// attempts and timeouts would not mean what they say.
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
	// Budget limits what this Client takes of the shared bucket (a cap,
	// a reserved share); the zero Budget takes all of it.
	Budget Budget

	// MaxThrottleRetries bounds retries after THROTTLED or HTTP 429/503
	// answers (default 20); MaxErrorRetries bounds retries after 5xx and
	// network errors (default 4). 0 means the default; NoRetries (or any
	// negative number) means none.
	MaxThrottleRetries int
	MaxErrorRetries    int
	// BackoffBase and BackoffMax shape the exponential backoff after 5xx and
	// network errors (defaults 500 ms and 15 s).
	BackoffBase time.Duration
	BackoffMax  time.Duration
}

// NoRetries, as Options.MaxErrorRetries or MaxThrottleRetries, turns those
// retries off; 0 cannot, since it means the default.
const NoRetries = -1

// ForActivities returns o for a Client used inside a Temporal activity:
// with MaxErrorRetries set to NoRetries, so that one activity attempt
// sends a request once. A 5xx, network error or timeout then comes back
// at once as *Error of the same Kind as after the client's retries
// (KindUnavailable or KindTransport, retryable, for Temporal to retry; a
// mutation that is not safe to repeat still as KindOutcomeUnknown).
// Waiting for the bucket and after THROTTLED, 429 or 503 with
// Retry-After is unchanged.
func ForActivities(o Options) Options {
	o.MaxErrorRetries = NoRetries
	return o
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
	if err := o.Budget.Validate(); err != nil {
		return err
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
