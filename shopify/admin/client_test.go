package admin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/prometheus/client_golang/prometheus"
)

const pingQuery = `query Ping { shop { id } }`

func ping(ctx context.Context, c graphql.Client) error {
	var data map[string]any
	return c.MakeRequest(ctx, &graphql.Request{Query: pingQuery, OpName: "Ping"}, &graphql.Response{Data: &data})
}

func TestConcurrentClientsAreNeverThrottledAndUseTheBudget(t *testing.T) {
	// 200-point bucket restoring 400/s; each call asks 50 and uses 40.
	f := newFakeShop(200, 400, 50, 40)
	f.delay = 3 * time.Millisecond
	c := newFakeClient(t, f, nil)
	ctx := context.Background()

	const workers, perWorker = 8, 10
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWorker {
				if err := ping(ctx, c); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	elapsed := time.Since(start).Seconds()
	_, throttled := f.counts()
	if throttled != 0 {
		t.Errorf("server throttled %d requests", throttled)
	}
	st := c.Stats()
	spentRate := st.PointsSpent / elapsed
	// 80 calls × 40 points = 3200 points: the first 200 are in the full
	// bucket, the rest come at 400/s, so about 7.5 s.
	t.Logf("%d calls in %.2fs, %.0f points/s of 400, average available %.0f of 200, waited %v",
		st.Requests, elapsed, spentRate, st.AverageAvailable(), st.Waited)
	if spentRate < 0.85*400 {
		t.Errorf("spent %.0f points/s, want ≥ 340 (budget used)", spentRate)
	}
	if st.AverageAvailable() > 0.5*200 {
		t.Errorf("average available %.0f, want the bucket kept low", st.AverageAvailable())
	}
}

func TestThrottledResponseIsRetried(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n != 2 {
			return false
		}
		w.Write([]byte(`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],` +
			`"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":100.0,"currentlyAvailable":5.0,"restoreRate":1000.0}}}}`))
		return true
	}
	c := newFakeClient(t, f, nil)
	for range 3 {
		if err := ping(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if st := c.Stats(); st.Throttled != 1 || st.Requests != 4 {
		t.Errorf("stats %+v, want 1 throttled of 4 requests", st)
	}
}

func TestThrottledTooOftenIsARetryableError(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Write([]byte(`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],` +
			`"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":100.0,"currentlyAvailable":100.0,"restoreRate":1000.0}}}}`))
		return true
	}
	c := newFakeClient(t, f, func(o *Options) { o.MaxThrottleRetries = 2 })
	err := ping(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindThrottled || e.Attempts != 3 || !IsRetryable(err) {
		t.Fatalf("err = %v, want throttled after 3 attempts", err)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n > 1 {
			return false
		}
		w.Header().Set("Retry-After", "0.3")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	}
	c := newFakeClient(t, f, nil)
	start := time.Now()
	if err := ping(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("retried after %v, want ≥ 300ms", d)
	}
	if st := c.Stats(); st.Throttled != 1 {
		t.Errorf("throttled = %d, want 1", st.Throttled)
	}
}

func TestRateLimitedTooOften(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Header().Set("Retry-After", "0.01")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	}
	c := newFakeClient(t, f, func(o *Options) { o.MaxThrottleRetries = 1 })
	err := ping(context.Background(), c)
	if KindOf(err) != KindRateLimited || !IsRetryable(err) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	if d, ok := RetryAfter(err); !ok || d < 10*time.Millisecond {
		t.Errorf("RetryAfter = %v, %v", d, ok)
	}
}

func TestServerErrorsBackOffThenFail(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.WriteHeader(http.StatusBadGateway)
		return true
	}
	c := newFakeClient(t, f, func(o *Options) { o.MaxErrorRetries = 3 })
	err := ping(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnavailable || e.StatusCode != 502 || e.Attempts != 4 {
		t.Fatalf("err = %v, want unavailable after 4 attempts", err)
	}
	if !IsRetryable(err) {
		t.Error("5xx should be retryable")
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n > 2 {
			return false
		}
		w.WriteHeader(http.StatusInternalServerError)
		return true
	}
	c := newFakeClient(t, f, nil)
	if err := ping(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

func TestNonIdempotentMutationIsNotRepeatedAfter5xx(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.WriteHeader(http.StatusInternalServerError)
		return true
	}
	c := newFakeClient(t, f, nil)
	_, err := CreateWebhookSubscription(context.Background(), c, WebhookSubscriptionTopicOrdersCreate, WebhookSubscriptionInput{Uri: "https://example.test/hook"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindOutcomeUnknown || e.StatusCode != 500 {
		t.Fatalf("err = %v, want outcome unknown after HTTP 500", err)
	}
	// The mutation may have been applied: the caller must not repeat it.
	if IsRetryable(err) || e.Kind.Retryable() {
		t.Errorf("IsRetryable(%v) = true", err)
	}
	if n, _ := f.counts(); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

func TestNonIdempotentMutationCutOffIsOutcomeUnknown(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		// The request arrived; the connection drops before the answer.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return true
	}
	c := newFakeClient(t, f, nil)
	_, err := StartBulkQuery(context.Background(), c, `{ products { edges { node { id } } } }`)
	if KindOf(err) != KindOutcomeUnknown || IsRetryable(err) {
		t.Fatalf("err = %v, want non-retryable outcome unknown", err)
	}
	if n, _ := f.counts(); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

func TestMutationNotSentIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // connections are refused: nothing can reach Shopify
	c, err := NewClient(Options{Shop: "fake.myshopify.com", AccessToken: "tok", BaseURL: srv.URL, Registry: NewRegistry(),
		MaxErrorRetries: 2, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = StartBulkQuery(context.Background(), c, `{ products { edges { node { id } } } }`)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindTransport || e.Attempts != 3 || !IsRetryable(err) {
		t.Fatalf("err = %v, want retryable transport error after 3 attempts", err)
	}
}

func TestMetafieldsSetWithCompareDigestIsNotRepeated(t *testing.T) {
	digest := "d1"
	for _, tc := range []struct {
		name     string
		digest   *string
		wantSent int
		wantKind ErrorKind
	}{
		{"plain", nil, 3, KindUnavailable},
		{"compare-and-set", &digest, 1, KindOutcomeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeShop(100, 1000, 10, 10)
			f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
				w.WriteHeader(http.StatusBadGateway)
				return true
			}
			c := newFakeClient(t, f, func(o *Options) { o.MaxErrorRetries = 2 })
			_, err := SetMetafields(context.Background(), c, []MetafieldsSetInput{
				{OwnerId: "gid://shopify/Product/1", Namespace: "erp", Key: "a", Type: "single_line_text_field", Value: "x"},
				{OwnerId: "gid://shopify/Product/1", Namespace: "erp", Key: "b", Type: "single_line_text_field", Value: "y", CompareDigest: tc.digest},
			})
			if KindOf(err) != tc.wantKind || IsRetryable(err) != tc.wantKind.Retryable() {
				t.Fatalf("err = %v, want %v", err, tc.wantKind)
			}
			if n, _ := f.counts(); n != tc.wantSent {
				t.Errorf("sent %d times, want %d", n, tc.wantSent)
			}
		})
	}
}

func TestWrongTokenIsPermanentAndSecret(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	c := newFakeClient(t, f, func(o *Options) { o.AccessToken = "shpat_secret_wrong" })
	err := ping(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnauthorized || e.StatusCode != 401 || IsRetryable(err) {
		t.Fatalf("err = %v, want permanent unauthorized", err)
	}
	if strings.Contains(err.Error(), "shpat_secret_wrong") {
		t.Error("the token leaked into the error")
	}
}

func TestMaxCostExceededIsPermanent(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Write([]byte(`{"errors":[{"message":"Query cost is 1520, which exceeds the single query max cost limit (1000).","extensions":{"code":"MAX_COST_EXCEEDED","cost":1520,"maxCost":1000}}],` +
			`"extensions":{"cost":{"requestedQueryCost":1520,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":100.0,"currentlyAvailable":100.0,"restoreRate":1000.0}}}}`))
		return true
	}
	c := newFakeClient(t, f, nil)
	err := ping(context.Background(), c)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindMaxCostExceeded || !e.HasCode("MAX_COST_EXCEEDED") || IsRetryable(err) {
		t.Fatalf("err = %v, want permanent max cost", err)
	}
}

func TestGraphQLErrorsKeepPartialData(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		w.Write([]byte(`{"data":{"shop":null},"errors":[{"message":"Access denied for shop field.","extensions":{"code":"ACCESS_DENIED"}}]}`))
		return true
	}
	c := newFakeClient(t, f, nil)
	var data map[string]any
	err := c.MakeRequest(context.Background(), &graphql.Request{Query: pingQuery, OpName: "Ping"}, &graphql.Response{Data: &data})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindGraphQL || !e.HasCode("ACCESS_DENIED") || IsRetryable(err) {
		t.Fatalf("err = %v", err)
	}
	if _, ok := data["shop"]; !ok {
		t.Error("partial data not decoded")
	}
}

func TestContextCancelledWhileWaitingForBudget(t *testing.T) {
	// Each call asks 90 of 100 points, restoring 10/s: the second call must
	// wait ~8 s, and gives up when its context ends.
	f := newFakeShop(100, 10, 90, 90)
	c := newFakeClient(t, f, nil)
	if err := ping(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := ping(ctx, c)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v", d)
	}
	if n, _ := f.counts(); n != 1 {
		t.Errorf("%d requests sent, want 1", n)
	}
}

func TestClientsOfOneShopShareTheBucket(t *testing.T) {
	reg := NewRegistry()
	f := newFakeShop(100, 10, 60, 60)
	c1 := newFakeClient(t, f, func(o *Options) { o.Registry = reg })
	o := c1.opts
	c2, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	if c1.bucket != c2.bucket {
		t.Fatal("two clients of one shop have two buckets")
	}
	if err := ping(context.Background(), c1); err != nil {
		t.Fatal(err)
	}
	// 40 left, 60 needed at 10/s: c2 must wait, not be throttled.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := ping(ctx, c2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want to wait for the shared bucket", err)
	}
}

func TestMetricsAreRecorded(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeShop(100, 1000, 10, 7)
	c := newFakeClient(t, f, func(o *Options) { o.Metrics = m })
	for range 3 {
		if err := ping(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if got := gathered(t, reg, "shopify_admin_points_spent_total"); got != 21 {
		t.Errorf("points spent = %v, want 21", got)
	}
	if got := gathered(t, reg, "shopify_admin_bucket_available_points"); got <= 0 {
		t.Errorf("bucket level = %v", got)
	}
	if got := gathered(t, reg, "shopify_admin_requests_total"); got != 3 {
		t.Errorf("requests = %v, want 3", got)
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering twice should fail")
	}
}

func TestSetMetafieldsRefusesMoreThan25(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	c := newFakeClient(t, f, nil)
	_, err := SetMetafields(context.Background(), c, make([]MetafieldsSetInput, 26))
	if !errors.Is(err, ErrTooManyMetafields) {
		t.Fatalf("err = %v", err)
	}
	if n, _ := f.counts(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestUserErrorsAreTyped(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	f.data = `{"metafieldsSet":{"metafields":null,"userErrors":[{"field":["metafields","0","value"],"message":"Value is invalid","code":"INVALID_VALUE","elementIndex":0}]}}`
	c := newFakeClient(t, f, nil)
	_, err := SetMetafields(context.Background(), c, []MetafieldsSetInput{{OwnerId: "gid://shopify/Product/1", Namespace: "custom", Key: "k", Type: "number_integer", Value: "x"}})
	var ue *UserErrors
	if !errors.As(err, &ue) || len(ue.Errors) != 1 || !ue.HasCode("INVALID_VALUE") || ue.Errors[0].ElementIndex != 0 {
		t.Fatalf("err = %v", err)
	}
	if IsRetryable(err) || !HasUserErrorCode(err, "INVALID_VALUE") {
		t.Error("classification")
	}
}

func TestInventorySetQuantitiesSendsKeyAndChangeFromQuantity(t *testing.T) {
	f := newFakeShop(100, 1000, 10, 10)
	var body string
	f.respond = func(w http.ResponseWriter, r *http.Request, n int) bool {
		b := new(strings.Builder)
		_, _ = io_Copy(b, r)
		body = b.String()
		return false
	}
	f.data = `{"inventorySetQuantities":{"inventoryAdjustmentGroup":null,"userErrors":[{"field":["input"],"message":"mismatch","code":"IDEMPOTENCY_KEY_PARAMETER_MISMATCH"}]}}`
	c := newFakeClient(t, f, nil)
	_, err := SetInventoryQuantities(context.Background(), c, "k-1", InventorySetQuantitiesInput{
		Name: "available", Reason: "correction",
		Quantities: []InventoryQuantityInput{{InventoryItemId: "gid://shopify/InventoryItem/1", LocationId: "gid://shopify/Location/1", Quantity: 5}},
	})
	if !HasUserErrorCode(err, "IDEMPOTENCY_KEY_PARAMETER_MISMATCH") {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`"changeFromQuantity":null`, `"key":"k-1"`, `@idempotent(key: $key)`} {
		if !strings.Contains(body, want) {
			t.Errorf("request lacks %s: %s", want, body)
		}
	}
	if strings.Contains(body, `"referenceDocumentUri":`) {
		t.Error("empty referenceDocumentUri was sent")
	}
	if _, err := SetInventoryQuantities(context.Background(), c, "  ", InventorySetQuantitiesInput{}); !errors.Is(err, ErrIdempotencyKey) {
		t.Errorf("blank key: %v", err)
	}
}

// gathered returns the value of the metric family's first series.
func gathered(t *testing.T, g prometheus.Gatherer, name string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name || len(mf.Metric) == 0 {
			continue
		}
		m := mf.Metric[0]
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestForActivitiesSendsOnceOnErrors: with error retries off, a 5xx,
// network error or timeout comes back after one send, of the kind the
// client's retries would have ended with, for Temporal to retry; flow
// control (THROTTLED, 429, 503 with Retry-After) is still the client's.
func TestForActivitiesSendsOnceOnErrors(t *testing.T) {
	const throttled = `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],` +
		`"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":100.0,"currentlyAvailable":5.0,"restoreRate":1000.0}}}}`
	status := func(code int, retryAfter string) func(http.ResponseWriter, *http.Request, int) bool {
		return func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n > 1 {
				return false
			}
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(code)
			return true
		}
	}
	for _, tc := range []struct {
		name     string
		respond  func(http.ResponseWriter, *http.Request, int) bool
		timeout  time.Duration
		mutation bool
		wantKind ErrorKind // 0: success
		wantSent int
	}{
		{"503 without Retry-After", status(http.StatusServiceUnavailable, ""), 0, false, KindUnavailable, 1},
		{"500", status(http.StatusInternalServerError, ""), 0, false, KindUnavailable, 1},
		{"500 on an unsafe mutation", status(http.StatusInternalServerError, ""), 0, true, KindOutcomeUnknown, 1},
		{"connection cut", func(w http.ResponseWriter, r *http.Request, n int) bool {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return true
		}, 0, false, KindTransport, 1},
		{"timeout", func(w http.ResponseWriter, r *http.Request, n int) bool {
			time.Sleep(200 * time.Millisecond)
			return n == 1
		}, 50 * time.Millisecond, false, KindTransport, 1},
		{"THROTTLED is waited out", func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n > 1 {
				return false
			}
			w.Write([]byte(throttled))
			return true
		}, 0, false, 0, 2},
		{"429 is waited out", status(http.StatusTooManyRequests, "0.01"), 0, false, 0, 2},
		{"503 with Retry-After is waited out", status(http.StatusServiceUnavailable, "0.01"), 0, false, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeShop(100, 1000, 10, 10)
			f.respond = tc.respond
			c := newFakeClient(t, f, func(o *Options) {
				*o = ForActivities(*o)
				if tc.timeout > 0 {
					o.HTTP = &http.Client{Timeout: tc.timeout}
				}
			})
			var err error
			if tc.mutation {
				_, err = StartBulkQuery(context.Background(), c, `{ products { edges { node { id } } } }`)
			} else {
				err = ping(context.Background(), c)
			}
			if KindOf(err) != tc.wantKind || (err == nil) != (tc.wantKind == 0) {
				t.Fatalf("err = %v, want kind %v", err, tc.wantKind)
			}
			var e *Error
			if errors.As(err, &e) && (e.Attempts != 1 || IsRetryable(err) != tc.wantKind.Retryable()) {
				t.Errorf("err = %+v, want 1 attempt, retryable %v", e, tc.wantKind.Retryable())
			}
			if n, _ := f.counts(); n != tc.wantSent {
				t.Errorf("sent %d times, want %d", n, tc.wantSent)
			}
		})
	}
}
