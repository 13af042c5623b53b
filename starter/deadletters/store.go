package deadletters

import (
	"context"
	"sync"

	"go.temporal.io/api/workflowservice/v1"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
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
	// dc decodes the payloads of raw history events (the webhook, summaries,
	// attempt histories): the client's, which decrypts them.
	dc converter.DataConverter
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
	// DataConverter decodes payloads read from histories; it must be the
	// one of c, which decrypts them. The SDK's default if nil.
	DataConverter converter.DataConverter
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
	if opts.DataConverter == nil {
		opts.DataConverter = converter.GetDefaultDataConverter()
	}
	return &Store{client: c, namespace: opts.Namespace, identity: opts.Identity, concurrency: opts.Concurrency, dc: opts.DataConverter}
}

// describe returns the server's description of a run ("" for the latest),
// as it came: summaries and other payloads are decoded by the caller.
func (s *Store) describe(ctx context.Context, workflowID, runID string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	d, err := s.client.DescribeWorkflow(ctx, workflowID, runID)
	if err != nil {
		return nil, err
	}
	return d.RawResponse, nil
}
