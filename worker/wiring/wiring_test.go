package wiring

import (
	"slices"
	"testing"
)

func TestParseQueues(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Queue
		err  bool
	}{
		{in: "all", want: Queues()},
		{in: "webhooks", want: []Queue{Webhooks}},
		{in: "webhooks, backfill", want: []Queue{Webhooks, Backfill}},
		{in: "reconcile,backfill", want: []Queue{Reconcile, Backfill}},
		{in: "webhook", err: true},
		{in: "", err: true},
	} {
		got, err := ParseQueues(tc.in)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("ParseQueues(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// Each kind of work has a task queue of its own, so that none delays
// another.
func TestTaskQueuesAreDistinct(t *testing.T) {
	seen := map[string]Queue{}
	for _, q := range Queues() {
		if other, ok := seen[q.TaskQueue()]; ok {
			t.Errorf("%s and %s share task queue %s", q, other, q.TaskQueue())
		}
		seen[q.TaskQueue()] = q
	}
}
