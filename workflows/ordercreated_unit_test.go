package workflows_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/workflows"
)

// Unit tests of OrderCreated in the SDK's test workflow environment: no
// server, time skipped. They cover the workflow's own decisions (summaries,
// failure kinds, retry timing); the integration tests in
// ordercreated_test.go cover the same workflow against a real server and
// the ERP simulator.

// recorder is a workflow interceptor that records what the workflow asks
// of Temporal: each activity's summary and every search attribute upsert.
type recorder struct {
	interceptor.WorkerInterceptorBase
	mu        sync.Mutex
	summaries []string
	upserts   []temporal.SearchAttributeUpdate
}

func (r *recorder) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &recorderInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, r: r}
}

type recorderInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	r *recorder
}

func (i *recorderInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&recorderOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, r: i.r})
}

type recorderOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	r *recorder
}

func (o *recorderOutbound) ExecuteActivity(ctx workflow.Context, activityType string, args ...any) workflow.Future {
	o.r.mu.Lock()
	o.r.summaries = append(o.r.summaries, workflow.GetActivityOptions(ctx).Summary)
	o.r.mu.Unlock()
	return o.Next.ExecuteActivity(ctx, activityType, args...)
}

func (o *recorderOutbound) UpsertTypedSearchAttributes(ctx workflow.Context, updates ...temporal.SearchAttributeUpdate) error {
	o.r.mu.Lock()
	o.r.upserts = append(o.r.upserts, updates...)
	o.r.mu.Unlock()
	return o.Next.UpsertTypedSearchAttributes(ctx, updates...)
}

// failureKind returns the FailureKind the workflow recorded, "" if none.
func (r *recorder) failureKind() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	sa := temporal.NewSearchAttributes(r.upserts...)
	kind, _ := sa.GetKeyword(workflows.FailureKindKey)
	return kind
}

// newOrderEnv returns a test environment with the ERP activities
// registered (each test mocks or serves them) and a recorder.
func newOrderEnv(t *testing.T) (*testsuite.TestWorkflowEnvironment, *recorder) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	rec := &recorder{}
	env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{rec}})
	env.RegisterActivity(workflows.ERPActivities)
	return env, rec
}

func sampleHook(t *testing.T, orderID int64) workflows.Webhook {
	return workflows.Webhook{Shop: "unit.myshopify.com", Topic: "orders/create", ID: "wh-unit",
		Payload: testenv.SampleOrder(t, orderID, testenv.SampleSKUs...)}
}

// mockHappyERP answers every ERP activity successfully.
func mockHappyERP(env *testsuite.TestWorkflowEnvironment) {
	env.OnActivity(workflows.ERPActivities.MapLineItems, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.MapLineItemsInput) ([]activities.MappedLine, error) {
			out := make([]activities.MappedLine, len(in.Items))
			for i, it := range in.Items {
				out[i] = activities.MappedLine{LineItemID: it.ID, SKU: it.SKU, Quantity: it.Quantity, UnitPrice: it.Price}
			}
			return out, nil
		})
	env.OnActivity(workflows.ERPActivities.CreateInvoice, mock.Anything, mock.Anything).Return(erp.Invoice{ID: "inv-1"}, nil)
	env.OnActivity(workflows.ERPActivities.RequestFulfillment, mock.Anything, mock.Anything).Return(erp.FulfillmentRequest{ID: "fr-1"}, nil)
}

func TestOrderCreatedUnitSummariesAndKeys(t *testing.T) {
	env, rec := newOrderEnv(t)
	mockHappyERP(env)
	var keys []string
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		switch info.ActivityType.Name {
		case "CreateInvoice":
			var in activities.CreateInvoiceInput
			if args.Get(&in) == nil {
				keys = append(keys, in.IdempotencyKey)
			}
		case "RequestFulfillment":
			var in activities.RequestFulfillmentInput
			if args.Get(&in) == nil {
				keys = append(keys, in.IdempotencyKey)
			}
		}
	})
	env.ExecuteWorkflow(workflows.OrderCreated, workflows.DefaultConfig, sampleHook(t, 4242))
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	wantSummaries := []string{"Map line items of #4242 to ERP SKUs", "Create ERP invoice for #4242", "Request fulfillment of #4242"}
	if !slices.Equal(rec.summaries, wantSummaries) {
		t.Errorf("summaries = %q, want %q", rec.summaries, wantSummaries)
	}
	wantKeys := []string{workflows.InvoiceKey("unit.myshopify.com", 4242), workflows.FulfillmentKey("unit.myshopify.com", 4242)}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("idempotency keys = %q, want %q", keys, wantKeys)
	}
	if kind := rec.failureKind(); kind != "" {
		t.Errorf("a completed workflow recorded FailureKind %q", kind)
	}
}

// Every way the workflow can fail ends in the failure kind an operator
// sorts dead letters by, recorded as the FailureKind search attribute and
// as the type of the workflow's non-retryable error.
func TestOrderCreatedUnitFailureKinds(t *testing.T) {
	cfg := workflows.DefaultConfig
	cfg.Retry.MaxAttempts = 2
	for _, tc := range []struct {
		name     string
		body     []byte
		mapErr   error
		wantKind string
		attempts int
	}{
		{name: "product not found", mapErr: temporal.NewNonRetryableApplicationError("no product", activities.FailureProductNotFound, nil),
			wantKind: activities.FailureProductNotFound, attempts: 1},
		{name: "rejected", mapErr: temporal.NewNonRetryableApplicationError("422", activities.FailureDownstreamRejected, nil),
			wantKind: activities.FailureDownstreamRejected, attempts: 1},
		{name: "outcome unknown", mapErr: temporal.NewNonRetryableApplicationError("maybe", activities.FailureOutcomeUnknown, nil),
			wantKind: activities.FailureOutcomeUnknown, attempts: 1},
		{name: "transient until exhausted", mapErr: temporal.NewApplicationError("503", activities.FailureTransient),
			wantKind: activities.FailureRetriesExhausted, attempts: 2},
		{name: "an unclassified error", mapErr: errors.New("boom"),
			wantKind: activities.FailureRetriesExhausted, attempts: 2},
		{name: "invalid payload", body: []byte(`{"id": 1}`), wantKind: activities.FailureInvalidPayload},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, rec := newOrderEnv(t)
			calls := 0
			env.OnActivity(workflows.ERPActivities.MapLineItems, mock.Anything, mock.Anything).Return(
				func(context.Context, activities.MapLineItemsInput) ([]activities.MappedLine, error) {
					calls++
					return nil, tc.mapErr
				})
			hook := sampleHook(t, 5151)
			if tc.body != nil {
				hook.Payload = tc.body
			}
			env.ExecuteWorkflow(workflows.OrderCreated, cfg, hook)
			var appErr *temporal.ApplicationError
			if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != tc.wantKind || !appErr.NonRetryable() {
				t.Fatalf("workflow error %v, want a non-retryable %s", err, tc.wantKind)
			}
			if got := rec.failureKind(); got != tc.wantKind {
				t.Errorf("FailureKind = %q, want %q", got, tc.wantKind)
			}
			if calls != tc.attempts {
				t.Errorf("MapLineItems ran %d times, want %d", calls, tc.attempts)
			}
		})
	}
}

// A workflow canceled by an operator while an activity retries is not a
// dead letter: it records no failure kind.
func TestOrderCreatedUnitCancelIsNotADeadLetter(t *testing.T) {
	env, rec := newOrderEnv(t)
	env.OnActivity(workflows.ERPActivities.MapLineItems, mock.Anything, mock.Anything).Return(
		nil, temporal.NewApplicationError("503", activities.FailureTransient))
	env.RegisterDelayedCallback(env.CancelWorkflow, 3*time.Second)
	env.ExecuteWorkflow(workflows.OrderCreated, workflows.DefaultConfig, sampleHook(t, 6161))
	var canceled *temporal.CanceledError
	if err := env.GetWorkflowError(); !errors.As(err, &canceled) {
		t.Fatalf("workflow error %v, want canceled", err)
	}
	if kind := rec.failureKind(); kind != "" {
		t.Errorf("a canceled workflow recorded FailureKind %q", kind)
	}
}

// The real ERP activity against an ERP that answers 503 with Retry-After:
// every attempt waits at least Retry-After and at most the policy's
// jittered delay above it, attempts stop at MaxAttempts, and the workflow
// ends as RetriesExhausted. Time is skipped, so the test takes no minutes.
func TestOrderCreatedUnitRetryTiming(t *testing.T) {
	const retryAfter = 7 * time.Second
	var mu sync.Mutex
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	cfg := workflows.DefaultConfig
	cfg.Retry.MaxAttempts = 4
	env.RegisterActivity(&activities.ERP{Client: erp.New(srv.URL, erp.NewHTTPClient(5*time.Second)), Retry: cfg.Retry})
	var starts []time.Time
	env.SetOnActivityStartedListener(func(*activity.Info, context.Context, converter.EncodedValues) {
		starts = append(starts, env.Now())
	})
	// A single line item with only a SKU: one ERP request per attempt.
	hook := workflows.Webhook{Shop: "unit.myshopify.com", Topic: "orders/create", ID: "wh-retry",
		Payload: []byte(`{"id":7171,"name":"#7171","currency":"EUR","total_price":"10.00","line_items":[{"id":1,"sku":"A","quantity":1,"price":"10.00"}]}`)}
	env.ExecuteWorkflow(workflows.OrderCreated, cfg, hook)

	var appErr *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != activities.FailureRetriesExhausted {
		t.Fatalf("workflow error %v, want RetriesExhausted", err)
	}
	if len(starts) != 4 || requests != 4 {
		t.Fatalf("%d attempts and %d requests, want 4 and 4 (one request per attempt)", len(starts), requests)
	}
	for i := 1; i < len(starts); i++ {
		gap := starts[i].Sub(starts[i-1])
		base := cfg.Retry.Delay(int32(i), 0, 0.5) // the unjittered backoff
		lo := max(retryAfter, time.Duration(float64(base)*(1-cfg.Retry.Jitter)))
		hi := max(time.Duration(float64(retryAfter)*(1+cfg.Retry.Jitter)), time.Duration(float64(base)*(1+cfg.Retry.Jitter)))
		if gap < lo || gap > hi+time.Second {
			t.Errorf("attempt %d came %v after attempt %d, want between %v and %v", i+1, gap, i, lo, hi)
		}
	}
}
