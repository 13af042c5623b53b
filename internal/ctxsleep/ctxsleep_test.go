package ctxsleep_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopflow/shopflow/internal/ctxsleep"
)

func TestSleepWaitsTheDuration(t *testing.T) {
	start := time.Now()
	if err := ctxsleep.Sleep(context.Background(), 20*time.Millisecond); err != nil {
		t.Fatalf("Sleep = %v, want nil", err)
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Errorf("Sleep returned after %v, want at least 20ms", took)
	}
}

func TestSleepEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	start := time.Now()
	if err := ctxsleep.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Sleep returned after %v, want about 10ms", took)
	}
}

func TestSleepWithoutADuration(t *testing.T) {
	if err := ctxsleep.Sleep(context.Background(), 0); err != nil {
		t.Errorf("Sleep(live, 0) = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ctxsleep.Sleep(ctx, -time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled, -1s) = %v, want context.Canceled", err)
	}
	// A context already done ends even a long wait at once.
	if err := ctxsleep.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(cancelled, 1h) = %v, want context.Canceled", err)
	}
}
