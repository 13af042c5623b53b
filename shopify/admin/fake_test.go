package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeShop is a leaky-bucket GraphQL endpoint for the limiter's unit tests:
// every request asks requested points, is charged them up front, takes
// delay, and is refunded requested − actual, as Shopify does.
type fakeShop struct {
	mu                sync.Mutex
	max, rate         float64
	level             float64
	at                time.Time
	requested, actual float64
	delay             time.Duration
	requests          int
	throttled         int
	availableSum      float64
	// respond, if set, answers instead (return false to fall through).
	respond func(w http.ResponseWriter, r *http.Request, n int) bool
	data    string // the "data" of successful answers
}

func newFakeShop(max, rate, requested, actual float64) *fakeShop {
	return &fakeShop{max: max, rate: rate, level: max, at: time.Now(), requested: requested, actual: actual, data: `{"ok":true}`}
}

func (f *fakeShop) restore(now time.Time) {
	f.level = min(f.max, f.level+now.Sub(f.at).Seconds()*f.rate)
	f.at = now
}

func (f *fakeShop) status() map[string]any {
	return map[string]any{"maximumAvailable": f.max, "currentlyAvailable": f.level, "restoreRate": f.rate}
}

func (f *fakeShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Shopify-Access-Token") != "tok" {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`))
		return
	}
	f.mu.Lock()
	f.requests++
	n := f.requests
	f.mu.Unlock()
	if f.respond != nil && f.respond(w, r, n) {
		return
	}
	f.mu.Lock()
	f.restore(time.Now())
	if f.level < f.requested {
		f.throttled++
		body := map[string]any{
			"errors":     []any{map[string]any{"message": "Throttled", "extensions": map[string]any{"code": "THROTTLED"}}},
			"extensions": map[string]any{"cost": map[string]any{"requestedQueryCost": f.requested, "actualQueryCost": nil, "throttleStatus": f.status()}},
		}
		f.mu.Unlock()
		json.NewEncoder(w).Encode(body)
		return
	}
	f.level -= f.requested
	f.mu.Unlock()
	time.Sleep(f.delay)
	f.mu.Lock()
	f.restore(time.Now())
	f.level = min(f.max, f.level+f.requested-f.actual)
	f.availableSum += f.level
	body := map[string]any{
		"data":       json.RawMessage(f.data),
		"extensions": map[string]any{"cost": map[string]any{"requestedQueryCost": f.requested, "actualQueryCost": f.actual, "throttleStatus": f.status()}},
	}
	f.mu.Unlock()
	json.NewEncoder(w).Encode(body)
}

func (f *fakeShop) counts() (requests, throttled int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, f.throttled
}

// newFakeClient serves f and returns a Client with its own registry.
func newFakeClient(t *testing.T, f http.Handler, tune func(*Options)) *Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	o := Options{Shop: "fake.myshopify.com", AccessToken: "tok", BaseURL: srv.URL, Registry: NewRegistry(),
		BackoffBase: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond}
	if tune != nil {
		tune(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// io_Copy reads a request body into a builder.
func io_Copy(b *strings.Builder, r *http.Request) (int64, error) {
	raw, err := io.ReadAll(r.Body)
	b.Write(raw)
	return int64(len(raw)), err
}
