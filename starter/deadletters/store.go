package deadletters

import (
	"sync"

	"go.temporal.io/sdk/client"
)

// Store finds, explains and replays the dead letters of one namespace.
// It is safe for concurrent use; a long-lived Store (the depth gauge's)
// remembers which failed runs were replaced, so that it asks Temporal about
// each of them only once.
type Store struct {
	client      client.Client
	namespace   string
	identity    string
	concurrency int
	// superseded holds the run IDs of failed runs that a newer run of the
	// same workflow replaced: a fact that never changes.
	superseded sync.Map
}

// Options configures a Store.
type Options struct {
	// Namespace is the client's namespace; "default" if empty. The batch
	// API needs it spelled out.
	Namespace string
	// Identity is recorded in the history of every reset, to tell who
	// replayed a dead letter; "shopflow-deadletters" if empty.
	Identity string
	// Concurrency bounds the calls made to Temporal at once; 8 if zero.
	Concurrency int
}

// New returns a Store working through c.
func New(c client.Client, opts Options) *Store {
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	if opts.Identity == "" {
		opts.Identity = "shopflow-deadletters"
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	return &Store{client: c, namespace: opts.Namespace, identity: opts.Identity, concurrency: opts.Concurrency}
}
