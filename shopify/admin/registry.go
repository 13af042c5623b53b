package admin

import (
	"strings"
	"sync"
	"time"
)

// Registry holds one bucket model per shop, so that every Client of a
// shop in the process shares one limiter. The zero value is not usable;
// use NewRegistry, or leave Options.Registry nil for the process-wide one.
//
// The model only knows this process's requests. Several processes calling
// the same shop with the same app each keep their own model; Shopify's
// reports correct each model downwards, so they mostly stay within the
// budget, but may be throttled now and then (the client then waits and
// retries). To use one bucket from several processes exactly, route the
// shop's calls through one process (e.g. one Temporal task queue per shop
// group) or give each process a fixed share of the restore rate.
type Registry struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{buckets: make(map[string]*bucket), now: time.Now}
}

var defaultRegistry = NewRegistry()

// bucket returns the bucket for endpoint (the API origin) and shop.
func (r *Registry) bucket(endpoint, shop string) *bucket {
	key := strings.ToLower(endpoint) + "|" + strings.ToLower(shop)
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.buckets[key]
	if !ok {
		b = newBucket(r.now)
		r.buckets[key] = b
	}
	return b
}
