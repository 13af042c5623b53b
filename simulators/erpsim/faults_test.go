package erpsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultJSON(t *testing.T) {
	var f Fault
	in := `{"method":"POST","path_prefix":"/v1/fulfillment-requests","kind":"rate_limit","retry_after":2,"latency":"200ms","probability":0.3,"count":1}`
	if err := json.Unmarshal([]byte(in), &f); err != nil {
		t.Fatal(err)
	}
	want := Fault{Method: "POST", PathPrefix: "/v1/fulfillment-requests", Kind: FaultRateLimit, RetryAfter: "2", Latency: 200 * time.Millisecond, Probability: 0.3, Count: 1}
	if f != want {
		t.Fatalf("decoded %+v, want %+v", f, want)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back Fault
	if err := json.Unmarshal(b, &back); err != nil || back != want {
		t.Errorf("round trip through %s gave %+v, %v", b, back, err)
	}
	for _, bad := range []string{
		`{"kind":"error","probabilty":0.5}`, // misspelt field
		`{"kind":"latency","latency":"soon"}`,
		`{"kind":"rate_limit","retry_after":true}`,
	} {
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", bad)
		}
	}
}

func TestFaultValidation(t *testing.T) {
	cases := []struct {
		f  Fault
		ok bool
	}{
		{Fault{Kind: FaultError}, true},
		{Fault{Kind: FaultError, Status: 200}, false},
		{Fault{Kind: FaultRateLimit, RetryAfter: "0.5"}, true},
		{Fault{Kind: FaultRateLimit, RetryAfter: "Sun, 01 Mar 2026 12:00:30 GMT"}, true},
		{Fault{Kind: FaultRateLimit, RetryAfter: "later"}, false},
		{Fault{Kind: FaultLatency, Latency: -time.Second}, false},
		{Fault{Kind: FaultCommitThenTimeout, Probability: 1.5}, false},
		{Fault{Kind: FaultError, Count: -1}, false},
		{Fault{Kind: "explode"}, false},
	}
	for _, tc := range cases {
		if err := tc.f.validate(); (err == nil) != tc.ok {
			t.Errorf("validate(%+v) = %v, want ok=%v", tc.f, err, tc.ok)
		}
	}
	s := New(Options{})
	s.SetFaults([]Fault{{Kind: FaultLatency}})
	if err := s.SetFaults([]Fault{{Kind: FaultError}, {Kind: "explode"}}); err == nil {
		t.Error("SetFaults accepted an invalid rule")
	}
	if got := s.Faults(); len(got) != 1 || got[0].Kind != FaultLatency {
		t.Errorf("a rejected SetFaults changed the rules to %+v", got)
	}
}

func TestFaultPick(t *testing.T) {
	fs := newFaultSet(1)
	fs.set([]Fault{
		{Method: "POST", PathPrefix: "/v1/invoices", Kind: FaultError, Count: 2},
		{PathPrefix: "/v1/stock", Kind: FaultLatency, Probability: 0.5},
	})
	hits := 0
	for range 5 {
		if f, ok := fs.pick("POST", "/v1/invoices"); ok && f.Kind == FaultError {
			hits++
		}
	}
	if hits != 2 {
		t.Errorf("count 2 rule hit %d times", hits)
	}
	if _, ok := fs.pick("GET", "/v1/products"); ok {
		t.Error("a rule hit a path it does not match")
	}
	if _, ok := fs.pick("POST", "/admin/reset"); ok {
		t.Error("a fault hit an admin path")
	}
	hits = 0
	for range 1000 {
		if _, ok := fs.pick("GET", "/v1/stock"); ok {
			hits++
		}
	}
	if hits < 400 || hits > 600 {
		t.Errorf("probability 0.5 hit %d of 1000", hits)
	}
}

func TestFaultsNeverHitAdmin(t *testing.T) {
	s, ts := testServer(t, Options{})
	if err := s.SetFaults([]Fault{{Kind: FaultError}}); err != nil { // every path, every method
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/stats", "/admin/faults", "/admin/orders/acme/1", "/healthz"} {
		if resp, body := send(t, ts, "GET", path, "", nil); resp.StatusCode != 200 {
			t.Errorf("GET %s = %d %s, want 200", path, resp.StatusCode, body)
		}
	}
	if resp, _ := send(t, ts, "GET", "/v1/stock?sku=MUG", "", nil); resp.StatusCode != 503 {
		t.Errorf("GET /v1/stock = %d, want the injected 503", resp.StatusCode)
	}
}

func TestAdminFaultsEndpoint(t *testing.T) {
	s, ts := testServer(t, Options{})
	resp, body := send(t, ts, "POST", "/admin/faults",
		`[{"method":"POST","path_prefix":"/v1/invoices","kind":"commit_then_timeout","latency":"50ms","count":1}]`, nil)
	if resp.StatusCode != 200 || len(s.Faults()) != 1 || s.Faults()[0].Latency != 50*time.Millisecond {
		t.Fatalf("POST bare list: %d %s, rules %+v", resp.StatusCode, body, s.Faults())
	}
	resp, body = send(t, ts, "POST", "/admin/faults", `{"faults":[{"kind":"error","status":502},{"kind":"latency","latency":"1s"}]}`, nil)
	if resp.StatusCode != 200 || len(s.Faults()) != 2 {
		t.Fatalf("POST wrapped list: %d %s", resp.StatusCode, body)
	}
	if resp, body = send(t, ts, "GET", "/admin/faults", "", nil); !strings.Contains(body, `"latency":"1s"`) {
		t.Errorf("GET /admin/faults = %d %s", resp.StatusCode, body)
	}
	resp, body = send(t, ts, "POST", "/admin/faults", `[{"kind":"explode"}]`, nil)
	if resp.StatusCode != 422 || errorCode(t, body) != CodeValidationFailed {
		t.Errorf("invalid kind: %d %s, want 422", resp.StatusCode, body)
	}
	resp, body = send(t, ts, "POST", "/admin/faults", `[{"kind":"error","statuss":500}]`, nil)
	if resp.StatusCode != 400 {
		t.Errorf("misspelt field: %d %s, want 400", resp.StatusCode, body)
	}
	if resp, _ = send(t, ts, "DELETE", "/admin/faults", "", nil); resp.StatusCode != http.StatusNoContent || len(s.Faults()) != 0 {
		t.Errorf("DELETE: %d, rules %+v", resp.StatusCode, s.Faults())
	}
}
