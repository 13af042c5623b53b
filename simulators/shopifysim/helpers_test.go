package shopifysim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/shopflow/shopflow/shopify/admin"
)

const (
	testShop    = "dev-shop.myshopify.com"
	testToken   = "shpat_test_token"
	testSecret  = "whsec_test"
	testVersion = "2026-10"
)

// fakeClock is an injectable clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type testEnv struct {
	sim   *Simulator
	srv   *httptest.Server
	clock *fakeClock
}

func newEnv(t testing.TB, mutate func(*Config)) *testEnv {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	cfg := Config{
		Shops:            []ShopConfig{{Domain: testShop, AccessToken: testToken, WebhookSecret: testSecret, Plan: PlanStandard}},
		Clock:            clock.now,
		WebhookTimeScale: 0.0001,
		// Test receivers listen on loopback http.
		AllowLoopbackWebhooks: true,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	sim := New(cfg)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	return &testEnv{sim: sim, srv: srv, clock: clock}
}

// gqlResponse is a decoded GraphQL response.
type gqlResponse struct {
	Status     int
	Data       map[string]any   `json:"data"`
	Errors     []map[string]any `json:"errors"`
	Extensions struct {
		Cost struct {
			RequestedQueryCost float64  `json:"requestedQueryCost"`
			ActualQueryCost    *float64 `json:"actualQueryCost"`
			ThrottleStatus     struct {
				MaximumAvailable   float64 `json:"maximumAvailable"`
				CurrentlyAvailable float64 `json:"currentlyAvailable"`
				RestoreRate        float64 `json:"restoreRate"`
			} `json:"throttleStatus"`
		} `json:"cost"`
	} `json:"extensions"`
	Raw string
}

func (e *testEnv) gqlVersion(t testing.TB, version, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+admin.GraphQLPath(version), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Access-Token", testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{Status: resp.StatusCode, Raw: string(raw)}
	if err := json.Unmarshal(raw, &out); err != nil && resp.StatusCode == http.StatusOK {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return out
}

func (e *testEnv) gql(t testing.TB, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return e.gqlVersion(t, testVersion, query, vars)
}

// dig walks decoded JSON by keys and indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func mustNoErrors(t testing.TB, r gqlResponse) {
	t.Helper()
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("status %d, errors: %s", r.Status, r.Raw)
	}
}
