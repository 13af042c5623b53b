package activities

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopflow/shopflow/erp"
)

// TestBulkPage: a bulk backfill's batches page the sorted items by the
// last ID done, each item exactly once, and fill in copies.
func TestBulkPage(t *testing.T) {
	all := []BackfillItem{{ID: "a"}, {ID: "b", Current: Fields{"erp.material": erp.FieldValue{Type: "t", Value: "v"}}}, {ID: "c"}, {ID: "d"}, {ID: "e"}}
	var got []string
	cursor, pages := "", 0
	for {
		p := bulkPage(all, cursor, 2)
		pages++
		for _, it := range p.Items {
			got = append(got, it.ID)
			it.Current["x"] = erp.FieldValue{} // must not reach all
		}
		if !p.More {
			break
		}
		cursor = p.Next
	}
	if want := []string{"a", "b", "c", "d", "e"}; !reflect.DeepEqual(got, want) || pages != 3 {
		t.Fatalf("paged %v in %d pages, want %v in 3", got, pages, want)
	}
	if len(all[1].Current) != 1 || all[0].Current != nil {
		t.Fatalf("a page's copy changed the bulk items: %+v", all)
	}
	// A cursor no longer in the items (never the case for one operation)
	// resumes after where it would sort.
	if p := bulkPage(all, "bb", 10); len(p.Items) != 3 || p.Items[0].ID != "c" || p.More {
		t.Fatalf("after a missing cursor: %+v", p)
	}
	if p := bulkPage(all, "e", 10); len(p.Items) != 0 || p.More {
		t.Fatalf("after the last item: %+v", p)
	}
	if p := bulkPage(nil, "", 10); len(p.Items) != 0 || p.More {
		t.Fatalf("no items: %+v", p)
	}
}

// TestBulkSnapshots: an operation's result is read once however many
// batches ask at the same time, sorted; a failed read is tried again; only
// the last few operations are kept.
func TestBulkSnapshots(t *testing.T) {
	var s bulkSnapshots
	ctx := context.Background()
	var reads atomic.Int32
	read := func() ([]BackfillItem, error) {
		reads.Add(1)
		time.Sleep(10 * time.Millisecond)
		return []BackfillItem{{ID: "b"}, {ID: "a"}}, nil
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			items, err := s.get(ctx, "op1", read)
			if err != nil || len(items) != 2 || items[0].ID != "a" {
				t.Errorf("get = %+v, %v", items, err)
			}
		})
	}
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Fatalf("read %d times, want once", n)
	}

	boom := errors.New("boom")
	if _, err := s.get(ctx, "op2", func() ([]BackfillItem, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("get = %v, want the read's error", err)
	}
	if items, err := s.get(ctx, "op2", read); err != nil || len(items) != 2 {
		t.Fatalf("after a failed read, get = %+v, %v: want it read again", items, err)
	}

	for i := range maxBulkSnapshots {
		s.get(ctx, fmt.Sprintf("more%d", i), read)
	}
	reads.Store(0)
	s.get(ctx, "op1", read)
	if reads.Load() != 1 || len(s.byOp) > maxBulkSnapshots {
		t.Fatalf("kept %d snapshots, want at most %d, the oldest dropped", len(s.byOp), maxBulkSnapshots)
	}
}
