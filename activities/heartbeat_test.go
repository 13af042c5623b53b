package activities

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
)

// seen is what an attempt read from the heartbeat details it was given.
type seen struct {
	Attempts    int
	HasProgress bool
	Progress    []InventoryCorrection
}

func readHeartbeat(ctx context.Context) (seen, error) {
	var s seen
	s.Attempts = len(lastHeartbeat(ctx).Attempts)
	s.HasProgress = progressOf(ctx, &s.Progress)
	return s, nil
}

func TestHeartbeatDetailsKeepHistoryAndProgressApart(t *testing.T) {
	done := []InventoryCorrection{{Drift: InventoryDrift{SKU: "A"}, Outcome: CorrectionApplied}}
	progress, _ := json.Marshal(done)
	history := []Attempt{{Number: 1, Error: "ERP 503"}, {Number: 2, Error: "ERP 503"}}
	for _, tc := range []struct {
		name    string
		details any
		want    seen
	}{
		// The bug this guards against: a retry history read back as
		// progress, two empty corrections, and two drifts skipped.
		{"history only", heartbeatDetails{Attempts: history}, seen{Attempts: 2}},
		{"history and progress", heartbeatDetails{Attempts: history, Progress: progress}, seen{Attempts: 2, HasProgress: true, Progress: done}},
		{"older workers' bare history", history, seen{Attempts: 2}},
		{"something else", 42, seen{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var suite testsuite.WorkflowTestSuite
			env := suite.NewTestActivityEnvironment()
			env.RegisterActivity(readHeartbeat)
			env.SetHeartbeatDetails(tc.details)
			val, err := env.ExecuteActivity(readHeartbeat)
			if err != nil {
				t.Fatal(err)
			}
			var got seen
			if err := val.Get(&got); err != nil {
				t.Fatal(err)
			}
			if got.Attempts != tc.want.Attempts || got.HasProgress != tc.want.HasProgress || len(got.Progress) != len(tc.want.Progress) ||
				(len(got.Progress) > 0 && got.Progress[0].Outcome != tc.want.Progress[0].Outcome) {
				t.Fatalf("read %+v, want %+v", got, tc.want)
			}
		})
	}
}

// failAfterProgress records progress, then fails: the details it leaves
// for the next attempt hold both its progress and its failure.
func failAfterProgress(ctx context.Context) error {
	done := []InventoryCorrection{{Outcome: CorrectionApplied}, {Outcome: CorrectionDeferred}}
	recordProgress(ctx, done[:1])
	return RetryPolicy{}.classifyWithProgress(ctx, errors.New("network down"), done)
}

func TestClassifyWithProgressHandsOnProgressAndHistory(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(failAfterProgress)
	env.SetHeartbeatDetails(heartbeatDetails{Attempts: []Attempt{{Number: 1, Error: "earlier"}}})
	var d heartbeatDetails
	env.SetOnActivityHeartbeatListener(func(_ *activity.Info, details converter.EncodedValues) {
		d = heartbeatDetails{}
		if err := details.Get(&d); err != nil {
			t.Errorf("heartbeat details: %v", err)
		}
	})
	if _, err := env.ExecuteActivity(failAfterProgress); err == nil {
		t.Fatal("the activity did not fail")
	}
	var progress []InventoryCorrection
	if err := json.Unmarshal(d.Progress, &progress); err != nil || len(progress) != 2 || len(d.Attempts) != 2 || d.Attempts[1].Error != "network down" {
		t.Fatalf("left %+v (progress %+v, %v); want both corrections and two attempts, the last one this failure", d, progress, err)
	}
}

// A correction whose last attempt failed before any progress resumes from
// the first drift: the retry history it left is not taken for corrections
// made (it was, and the first drifts were skipped and reported as failed).
func TestCorrectInventoryRedoesWorkAfterAFailedAttempt(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	a := &Inventory{Shopify: NewShopifyClients(ShopifyOptions{BaseURL: "http://127.0.0.1:1", Tokens: map[string]string{"s.myshopify.com": "t"}})}
	env.RegisterActivity(a.CorrectInventory)
	// What recordAttempt used to leave, and still leaves inside the
	// envelope: the retry history alone.
	env.SetHeartbeatDetails([]Attempt{{Number: 1, Error: "ERP 503"}, {Number: 2, Error: "ERP 503"}})
	in := CorrectInventoryInput{Shop: "s.myshopify.com", DryRun: true, Drifts: []CorrectionRequest{
		{Drift: InventoryDrift{SKU: "A"}}, {Drift: InventoryDrift{SKU: "B"}}, {Drift: InventoryDrift{SKU: "C"}},
	}}
	val, err := env.ExecuteActivity(a.CorrectInventory, in)
	if err != nil {
		t.Fatal(err)
	}
	var out []InventoryCorrection
	if err := val.Get(&out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 {
		t.Fatalf("%d outcomes, want 3", len(out))
	}
	for i, c := range out {
		if c.Outcome != CorrectionWouldApply || c.Drift.SKU != in.Drifts[i].Drift.SKU {
			t.Errorf("outcome %d: %+v, want %s for %s", i, c, CorrectionWouldApply, in.Drifts[i].Drift.SKU)
		}
	}
}
