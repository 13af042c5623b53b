package deadletters_test

import (
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/deadletters"
)

// A count is reused until its TTL passes, so scrapes do not each query
// Temporal.
func TestDepthIsCached(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{Config: fastConfig})
	store := deadletters.New(s.Temporal, deadletters.Options{DataConverter: testenv.Codec(t).DataConverter()})
	scope := deadletters.Filter{TaskQueue: s.TaskQueue}
	cached := deadletters.NewDepthCollector(store, deadletters.DepthOptions{Scope: scope, TTL: time.Hour})
	if got := scrape(t, cached); len(got) != 1 {
		t.Fatalf("scrape before any dead letter = %v, want only the error counter", got)
	}
	deliverAndFail(t, s, "wh-depth", []byte(`not json`), activities.FailureInvalidPayload)

	if got := scrape(t, cached); len(got) != 1 {
		t.Errorf("scrape within the TTL = %v, want the cached nothing", got)
	}
	if got, series := depth(t, s); got != 1 || len(series) != 1 || series[0] != `shopflow_dead_letters{failure_kind=InvalidPayload,shop=`+s.Shop+`}` {
		t.Errorf("fresh depth %v %q, want 1 InvalidPayload of %s", got, series, s.Shop)
	}
}

// When Temporal cannot be asked, the gauge is absent (not a reassuring 0)
// and the error counter goes up.
func TestDepthWhenTemporalIsDown(t *testing.T) {
	c, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	collector := deadletters.NewDepthCollector(deadletters.New(c, deadletters.Options{}),
		deadletters.DepthOptions{Timeout: time.Second})
	got := scrape(t, collector)
	if len(got) != 1 || got["shopflow_dead_letters_query_errors_total{}"] != 1 {
		t.Errorf("scrape with Temporal down = %v, want only the error counter, at 1", got)
	}
}
