// Package wiring is the one place that says what a shopflow worker runs:
// which workflows and activities each task queue gets, and the activities'
// dependencies. The worker binary and the integration tests both call it,
// so that tests run exactly what production runs.
package wiring

import (
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
	"github.com/shopflow/shopflow/workflows/reconcile"
)

// Queue is one kind of work, polled on a task queue of its own so that
// neither kind delays the other.
type Queue string

// The kinds of work.
const (
	// Webhooks is real-time work: the workflows webhooks start.
	Webhooks Queue = "webhooks"
	// Reconcile is the scheduled reconcilers'.
	Reconcile Queue = "reconcile"
	// Backfill is the operator-started backfills'.
	Backfill Queue = "backfill"
)

// Queues lists every kind of work, in the order a worker starts them.
func Queues() []Queue { return []Queue{Webhooks, Reconcile, Backfill} }

// TaskQueue is the production task queue of q.
func (q Queue) TaskQueue() string {
	switch q {
	case Reconcile:
		return reconcile.TaskQueue
	case Backfill:
		return backfill.TaskQueue
	default:
		return workflows.TaskQueue
	}
}

// ParseQueues reads a comma-separated list of kinds of work, such as
// "webhooks,backfill"; "all" means every kind.
func ParseQueues(s string) ([]Queue, error) {
	if strings.TrimSpace(s) == "all" {
		return Queues(), nil
	}
	var out []Queue
	for _, name := range strings.Split(s, ",") {
		q := Queue(strings.TrimSpace(name))
		switch q {
		case Webhooks, Reconcile, Backfill:
			out = append(out, q)
		default:
			return nil, fmt.Errorf("unknown queue %q: want webhooks, reconcile, backfill or all", name)
		}
	}
	return out, nil
}

// Deps are everything the activities of a worker depend on.
type Deps struct {
	// Config is the workflows' config; it must be the same on every worker
	// of a task queue.
	Config workflows.Config
	// ERP is the ERP's client.
	ERP *erp.Client
	// Shopify gives activities their per-shop Admin API clients, with the
	// clients' own error retries off (Temporal retries).
	Shopify *activities.ShopifyClients
	// Metrics is where activities register their Prometheus collectors
	// (reconciliation drift, backfill progress); the worker's /metrics
	// registry. Nil registers nothing.
	Metrics prometheus.Registerer
	// Locations maps each shop's Shopify locations to ERP locations for
	// the stock activities; a shop without an entry maps each location to
	// its numeric ID.
	Locations activities.LocationMap
	// Encryption is the worker client's payload codec, whose shop keys
	// shop/redact destroys; nil when encryption is off.
	Encryption *encryption.Codec
}

// Register registers on r every workflow of q and every activity, bound to
// deps. Every queue gets every activity: reconcilers and backfills call
// the same activities as webhook workflows.
func Register(r worker.Registry, q Queue, deps Deps) {
	RegisterWorkflows(r, q, deps.Config)
	r.RegisterActivity(&activities.ERP{Client: deps.ERP, Retry: deps.Config.Retry})
	r.RegisterActivity(activities.NewCompliance(deps.Encryption, deps.Config.Retry))
	r.RegisterActivity(activities.NewBackfill(activities.BackfillDeps{ERP: deps.ERP, Shopify: deps.Shopify, Retry: deps.Config.Retry, Metrics: deps.Metrics}))
	r.RegisterActivity(&activities.Orders{ERP: deps.ERP, Shopify: deps.Shopify, Retry: deps.Config.Retry})
	r.RegisterActivity(&activities.Inventory{ERP: deps.ERP, Shopify: deps.Shopify, Locations: deps.Locations, Retry: deps.Config.Retry, Metrics: activities.NewReconcileMetrics(deps.Metrics)})
}

// RegisterWorkflows registers on r every workflow of q, bound to cfg; the
// replay test registers them so on a replayer.
func RegisterWorkflows(r worker.WorkflowRegistry, q Queue, cfg workflows.Config) {
	switch q {
	case Webhooks:
		workflows.Register(r, cfg)
	case Reconcile:
		reconcile.Register(r, cfg)
	case Backfill:
		backfill.Register(r, cfg)
	}
}
