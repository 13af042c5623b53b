package workermetrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/workflows"
)

// RepeatedFailuresMetric counts failures of an entity that had failed
// before; the alert ShopflowEntityFailingRepeatedly reads it.
const RepeatedFailuresMetric = "shopflow_entity_repeated_failures_total"

// Entities are remembered this long, and at most this many, per worker.
const (
	failureMemoryTTL = 24 * time.Hour
	failureMemoryMax = 50_000
)

func newRepeatedFailuresCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: RepeatedFailuresMetric,
		Help: "Workflow failures of an entity that had already failed: a replayed dead letter failing again, " +
			"or the same shop's resource (ResourceID) failing again on this worker within 24 hours. By workflow type and failure kind.",
	}, []string{"workflow", "failure_kind"})
}

// failureMemory remembers which entities failed recently. Entity IDs stay
// in the worker's memory and never become label values: one label value
// per order would grow Prometheus without bound.
type failureMemory struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// failedBefore records that key failed at now and reports whether it had
// failed within the TTL before.
func (m *failureMemory) failedBefore(key string, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen == nil {
		m.seen = map[string]time.Time{}
	}
	last, ok := m.seen[key]
	m.seen[key] = now
	if len(m.seen) > failureMemoryMax {
		for k, t := range m.seen {
			if now.Sub(t) > failureMemoryTTL || len(m.seen) > failureMemoryMax {
				delete(m.seen, k)
			}
		}
	}
	return ok && now.Sub(last) <= failureMemoryTTL
}

// observeRepeatedFailure counts a failed workflow if its entity had failed
// before. A reset run that fails is one for certain, whichever worker ran
// the first: an operator replayed the dead letter and it failed again. The
// same resource failing under another workflow (another webhook about the
// same order) is recognised when the same worker saw both, which with
// several worker replicas catches most repeats, not all.
func (i *Interceptor) observeRepeatedFailure(ctx workflow.Context, workflowType, kind string) {
	info := workflow.GetInfo(ctx)
	repeated := info.WorkflowExecution.RunID != info.FirstRunID && info.ContinuedExecutionRunID == ""
	attrs := workflow.GetTypedSearchAttributes(ctx)
	shop, _ := attrs.GetKeyword(workflows.ShopDomainKey)
	resource, _ := attrs.GetKeyword(workflows.ResourceIDKey)
	if resource != "" {
		// The resource's memory is updated even for a certain repeat.
		repeated = i.failedEntities.failedBefore(workflowType+"\x00"+shop+"\x00"+resource, time.Now()) || repeated
	}
	if repeated {
		i.repeated.WithLabelValues(workflowType, kind).Inc()
	}
}
