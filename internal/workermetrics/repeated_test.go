package workermetrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// An order that fails under two webhooks, then again when replayed, is one
// entity failing repeatedly: counted twice, with no order ID in a label.
// Another order failing once is not counted.
func TestRepeatedFailuresOfOneEntityAreCounted(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	repeated := func() float64 {
		return testutil.ToFloat64(counter(t, s, workermetrics.RepeatedFailuresMetric))
	}
	fail := func(webhookID string, order int64) {
		t.Helper()
		s.Deliver(t, "orders/create", webhookID, testenv.SampleOrder(t, order, "NOBODY-KNOWS-ME"))
		if err := s.Wait(t, webhookID); err == nil {
			t.Fatalf("%s succeeded, want ProductNotFound", webhookID)
		}
	}
	fail("wh-r1", 31)
	fail("wh-other", 32)
	if n := repeated(); n != 0 {
		t.Fatalf("after two orders failing once: %v repeated failures, want 0", n)
	}
	fail("wh-r2", 31)
	if n := repeated(); n != 1 {
		t.Fatalf("after order 31 failed under a second webhook: %v repeated failures, want 1", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := deadletters.New(s.Temporal, deadletters.Options{}).ReplayOne(ctx, s.WorkflowID("wh-other"), deadletters.ReplayOptions{Wait: time.Minute})
	if err != nil || r.Outcome != deadletters.OutcomeFailed {
		t.Fatalf("replay: %+v, %v; want failed again", r, err)
	}
	if n := repeated(); n != 2 {
		t.Fatalf("after a replayed dead letter failed again: %v repeated failures, want 2", n)
	}
	if got := labelValues(t, s, workermetrics.RepeatedFailuresMetric, "failure_kind"); len(got) != 1 || got[0] != activities.FailureProductNotFound {
		t.Errorf("failure kinds %q, want [%s]", got, activities.FailureProductNotFound)
	}
}
