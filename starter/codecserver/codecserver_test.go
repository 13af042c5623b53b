package codecserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/codecserver"
)

const (
	token     = "operator-token-0123456789"
	uiOrigin  = "http://127.0.0.1:8233"
	wrongAuth = "Bearer not-the-token-0123456789"
)

// customerData is what the sample order says about its customer: none of
// it may reach Temporal in clear.
var customerData = []string{"jon@example.com", "john@example.com", "Steve Shipper", "123 Shipping Street", "Shippington", "555-555-SHIP"}

// Done when 1: an order's history, read with the raw API and no codec,
// holds no customer email, name or address; the codec server decodes it for
// a caller with the token and refuses one without; after a key rotation the
// older history still decodes.
func TestOrderHistoryIsEncryptedAndDecodesThroughTheCodecServer(t *testing.T) {
	s := testenv.NewStack(t, testenv.Options{})
	testenv.SeedSampleProducts(t, s.ERP)
	if code := s.Deliver(t, "orders/create", "wh-enc-1", testenv.SampleOrder(t, 7001)); code != http.StatusOK {
		t.Fatalf("ingress answered %d", code)
	}
	if err := s.Wait(t, "wh-enc-1"); err != nil {
		t.Fatalf("order workflow: %v", err)
	}
	history := rawHistory(t, s, s.WorkflowID("wh-enc-1"))
	raw, err := proto.Marshal(history)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range customerData {
		if bytes.Contains(raw, []byte(d)) {
			t.Errorf("the raw history holds %q in clear", d)
		}
	}
	// Every payload but the search attributes (indexed, hence in clear,
	// and holding no customer data) is encrypted.
	var n int
	err = proxy.VisitPayloads(context.Background(), history, proxy.VisitPayloadsOptions{
		SkipSearchAttributes: true,
		Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
			for _, p := range ps {
				n++
				if enc := string(p.Metadata["encoding"]); enc != encryption.EncodingEncrypted {
					t.Errorf("a payload of the history is %s, not encrypted", enc)
				}
			}
			return ps, nil
		},
	})
	if err != nil || n < 5 {
		t.Fatalf("visited %d payloads: %v", n, err)
	}
	input := history.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput()

	ring, store := testenv.Encryption(t)
	srv := codecServer(t, ring, store)

	decoded := decodeVia(t, srv.URL, "Bearer "+token, input, http.StatusOK)
	if !strings.Contains(decoded, "jon@example.com") || !strings.Contains(decoded, "123 Shipping Street") {
		t.Errorf("decoded input lacks the order's customer: %.300s", decoded)
	}
	// The temporal CLI, as an operator runs it: ciphertext without the
	// codec server, the customer with it and the token.
	cli, err := devserver.CLIPath()
	if err != nil {
		t.Fatal(err)
	}
	showInput := func(extra ...string) *commonpb.Payload {
		t.Helper()
		args := append([]string{"workflow", "show", "-w", s.WorkflowID("wh-enc-1"), "--address", testenv.FrontendAddress(t), "-o", "json"}, extra...)
		out, err := exec.Command(cli, args...).Output()
		if err != nil {
			t.Fatalf("temporal %v: %v\n%s", args, err, out)
		}
		var h historypb.History
		if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(out, &h); err != nil {
			t.Fatalf("reading temporal's JSON: %v", err)
		}
		return h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads()[0]
	}
	if p := showInput(); string(p.Metadata["encoding"]) != encryption.EncodingEncrypted || bytes.Contains(p.Data, []byte("jon@example.com")) {
		t.Errorf("temporal workflow show without the codec: input %s, want ciphertext", p.Metadata["encoding"])
	}
	if p := showInput("--codec-endpoint", srv.URL, "--codec-auth", "Bearer "+token); !bytes.Contains(p.Data, []byte("jon@example.com")) {
		t.Errorf("temporal workflow show through the codec server: input %s lacks the customer's email", p.Metadata["encoding"])
	}
	decodeVia(t, srv.URL, "", input, http.StatusUnauthorized)
	decodeVia(t, srv.URL, wrongAuth, input, http.StatusUnauthorized)
	decodeVia(t, srv.URL, "Basic "+token, input, http.StatusUnauthorized)

	// Rotation: a new master key encrypts, the old one still decrypts.
	newKey, err := encryption.NewKey("rotated")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := encryption.ParseKeyring(newKey)
	if err != nil {
		t.Fatal(err)
	}
	rotated := codecServer(t, append(fresh, ring...), store)
	if got := decodeVia(t, rotated.URL, "Bearer "+token, input, http.StatusOK); !strings.Contains(got, "jon@example.com") {
		t.Errorf("after rotation the older history no longer decodes: %.300s", got)
	}
	var encoded commonpb.Payloads
	body := post(t, rotated.URL+"/encode", "Bearer "+token, "", &commonpb.Payloads{Payloads: decodedPayloads(t, rotated.URL, input)}, http.StatusOK)
	if err := protojson.Unmarshal(body, &encoded); err != nil {
		t.Fatal(err)
	}
	if id := string(encoded.Payloads[0].Metadata[encryption.MetadataKeyID]); id != "rotated" {
		t.Errorf("after rotation /encode used key %q, want the newest", id)
	}
}

func TestCORSAndLimits(t *testing.T) {
	ring, store := testenv.Encryption(t)
	srv := codecServer(t, ring, store)

	pre, _ := http.NewRequest(http.MethodOptions, srv.URL+"/decode", nil)
	pre.Header.Set("Origin", uiOrigin)
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
	resp, err := http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != uiOrigin ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight from the UI: %d %v", resp.StatusCode, resp.Header)
	}
	empty := &commonpb.Payloads{}
	post(t, srv.URL+"/decode", "Bearer "+token, "https://evil.example", empty, http.StatusForbidden)
	post(t, srv.URL+"/decode", "Bearer "+token, uiOrigin, empty, http.StatusOK)
	post(t, srv.URL+"/encode", "", uiOrigin, empty, http.StatusUnauthorized)
	post(t, srv.URL+"/other", "Bearer "+token, "", empty, http.StatusNotFound)

	big := &commonpb.Payloads{Payloads: []*commonpb.Payload{{Data: bytes.Repeat([]byte("x"), 5<<20)}}}
	if code := postStatus(t, srv.URL+"/encode", "Bearer "+token, big); code != http.StatusBadRequest && code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 5 MiB body got %d, want it refused", code)
	}
}

func codecServer(t *testing.T, ring encryption.Keyring, store encryption.KeyStore) *httptest.Server {
	t.Helper()
	codec, err := encryption.New(ring, store)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(codecserver.NewHandler(codecserver.Config{Codec: codec, Tokens: []string{token}, Origins: []string{uiOrigin}}))
	t.Cleanup(srv.Close)
	return srv
}

func rawHistory(t *testing.T, s *testenv.Stack, workflowID string) *historypb.History {
	t.Helper()
	iter := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return &h
}

// decodeVia posts payloads to /decode and returns the decoded payloads'
// data, joined, when the status is 200.
func decodeVia(t *testing.T, url, auth string, in *commonpb.Payloads, want int) string {
	t.Helper()
	body := post(t, url+"/decode", auth, "", in, want)
	if want != http.StatusOK {
		return ""
	}
	var out commonpb.Payloads
	if err := protojson.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range out.Payloads {
		b.Write(p.Data)
	}
	return b.String()
}

func decodedPayloads(t *testing.T, url string, in *commonpb.Payloads) []*commonpb.Payload {
	t.Helper()
	var out commonpb.Payloads
	if err := protojson.Unmarshal(post(t, url+"/decode", "Bearer "+token, "", in, http.StatusOK), &out); err != nil {
		t.Fatal(err)
	}
	return out.Payloads
}

func post(t *testing.T, url, auth, origin string, in *commonpb.Payloads, want int) []byte {
	t.Helper()
	data, err := protojson.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s (auth %q) = %d, want %d: %s", url, strings.SplitN(auth, " ", 2)[0], resp.StatusCode, want, buf.String())
	}
	if want == http.StatusOK && origin != "" && resp.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("no CORS header for %s", origin)
	}
	return buf.Bytes()
}

func postStatus(t *testing.T, url, auth string, in *commonpb.Payloads) int {
	t.Helper()
	data, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(data))
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
