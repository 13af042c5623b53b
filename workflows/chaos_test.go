package workflows_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/workflows"
)

// Many orders, each delivered twice at once, against an ERP that fails a
// third of its requests in every way it can: 503s, 429s with Retry-After,
// slow answers past the client's timeout, and effects committed whose
// answer never arrives. Every order must end with exactly one invoice and
// one fulfillment request.
func TestUnreliableERPStillAppliesEveryEffectOnce(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{
		Config: workflows.Config{
			Retry:           activities.RetryPolicy{Initial: 50 * time.Millisecond, Coefficient: 2, Max: 500 * time.Millisecond, Jitter: 0.2, MaxAttempts: 30},
			ActivityTimeout: 5 * time.Second,
		},
		ERPTimeout: 300 * time.Millisecond,
	})
	testenv.SeedSampleProducts(t, s.ERP)
	if err := s.ERP.SetFaults([]erpsim.Fault{
		{Kind: erpsim.FaultError, Status: 503, Probability: 0.1},
		{Kind: erpsim.FaultRateLimit, RetryAfter: "0.2", Probability: 0.1},
		{Kind: erpsim.FaultLatency, Latency: 500 * time.Millisecond, Probability: 0.05},
		{Method: http.MethodPost, Kind: erpsim.FaultCommitThenTimeout, Probability: 0.2},
	}); err != nil {
		t.Fatal(err)
	}

	const orders = 20
	var wg sync.WaitGroup
	for i := range orders {
		body := testenv.SampleOrder(t, int64(50_000+i))
		id := fmt.Sprintf("wh-chaos-%02d", i)
		for range 2 { // Shopify's at-least-once delivery, concurrently
			wg.Go(func() {
				if got := s.Deliver(t, "orders/create", id, body); got != http.StatusOK {
					t.Errorf("%s: ingress answered %d", id, got)
				}
			})
		}
	}
	wg.Wait()
	for i := range orders {
		if err := s.Wait(t, fmt.Sprintf("wh-chaos-%02d", i)); err != nil {
			t.Errorf("order %d: workflow failed: %v", i, err)
		}
	}
	for i := range orders {
		requireOneEffect(t, s, int64(50_000+i))
	}
	stats := s.ERP.Stats()
	t.Logf("ERP stats: %+v", stats)
	// The test means something only if the ERP really lost answers and
	// the keys really turned retries into replays.
	for _, kind := range []erpsim.FaultKind{erpsim.FaultCommitThenTimeout, erpsim.FaultError, erpsim.FaultRateLimit} {
		if stats.FaultsInjected[kind] == 0 {
			t.Errorf("no %s fault was injected", kind)
		}
	}
	if stats.IdempotentReplays == 0 {
		t.Error("no request was answered as an idempotent replay")
	}
}
