package admin

import (
	"context"
	"testing"
	"time"
)

// knownBucket returns a bucket already modelled at level of max, refilling
// at rate a second.
func knownBucket(level, max, rate float64) *bucket {
	b := newBucket(time.Now)
	b.known, b.level, b.max, b.rate, b.at = true, level, max, rate, time.Now()
	return b
}

func TestReserveIsNeverTaken(t *testing.T) {
	b := knownBucket(60, 100, 100)
	ten := func() float64 { return 10 }
	// 60 available, 50 reserved: a request of 10 may go at once...
	start := time.Now()
	r, _, err := b.acquire(context.Background(), ten, 0.5)
	if err != nil || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("first request waited %s: %v", time.Since(start), err)
	}
	b.release(r, nil)
	b.mu.Lock()
	b.level = 50 // ...but not while only the reserve is left
	b.mu.Unlock()
	start = time.Now()
	if _, _, err := b.acquire(context.Background(), ten, 0.5); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("a request took from the reserve after %s; it should wait about 100 ms for the refill", d)
	}
}

func TestReserveWaiterDoesNotBlockOthers(t *testing.T) {
	b := knownBucket(20, 100, 10) // 20 available, refilling slowly
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go b.acquire(ctx, func() float64 { return 10 }, 0.5) // needs 60: waits 4 s
	time.Sleep(20 * time.Millisecond)
	start := time.Now()
	if _, _, err := b.acquire(ctx, func() float64 { return 10 }, 0); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("a request without reserve waited %s behind one with a reserve", d)
	}
}

func TestThresholdNeverAboveMaximum(t *testing.T) {
	b := knownBucket(0, 100, 100)
	if got := b.threshold(90, 0.5); got != 100 {
		t.Fatalf("threshold %v, want the maximum 100", got)
	}
}

func TestSpendCap(t *testing.T) {
	c := newSpendCap(100, time.Now) // 100 points a second, one second's burst
	ctx := context.Background()
	start := time.Now()
	for range 3 {
		if _, err := c.wait(ctx, 50); err != nil {
			t.Fatal(err)
		}
	}
	// 100 of burst, then 50 more at 100 a second: about 0.5 s.
	if d := time.Since(start); d < 400*time.Millisecond || d > 900*time.Millisecond {
		t.Fatalf("150 points at a cap of 100/s took %s, want about 0.5 s", d)
	}
	c.settle(50, 0) // refunded: the next 50 go at once
	start = time.Now()
	if _, err := c.wait(ctx, 50); err != nil || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("after a refund a request waited %s", time.Since(start))
	}
	if newSpendCap(0, time.Now) != nil {
		t.Fatal("a zero cap should be no cap")
	}
}

func TestSeed(t *testing.T) {
	b := knownBucket(1000, 2000, 100)
	c := &Client{bucket: b}
	c.Seed(BucketState{Available: 100, Maximum: 2000, RestoreRate: 100, At: time.Now()})
	if s, _ := c.BucketState(); s.Available > 110 {
		t.Fatalf("seeding did not lower the model: %v", s.Available)
	}
	c.Seed(BucketState{Available: 2000, Maximum: 2000, RestoreRate: 100, At: time.Now()})
	if s, _ := c.BucketState(); s.Available > 120 {
		t.Fatalf("seeding raised the model: %v", s.Available)
	}
	u := &Client{bucket: newBucket(time.Now)}
	u.Seed(BucketState{Available: 300, Maximum: 2000, RestoreRate: 100, At: time.Now().Add(-time.Second)})
	if s, ok := u.BucketState(); !ok || s.Available < 399 || s.Available > 410 {
		t.Fatalf("an unknown bucket seeded with 300 a second ago holds %v (%v)", s.Available, ok)
	}
	if err := (Budget{Reserve: 1}).Validate(); err == nil {
		t.Fatal("a reserve of the whole bucket validated")
	}
}
