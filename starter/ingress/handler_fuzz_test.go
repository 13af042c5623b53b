package ingress_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/workflows"
)

// recordingStarter stands in for Temporal in the fuzzer, which runs the
// handler tens of thousands of times a second: it records every start and
// refuses a workflow ID it has seen, as Temporal does with the handler's
// reuse policy.
type recordingStarter struct {
	mu     sync.Mutex
	starts map[string]workflows.Webhook
}

func (s *recordingStarter) ExecuteWorkflow(_ context.Context, opts client.StartWorkflowOptions, _ any, args ...any) (client.WorkflowRun, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.starts[opts.ID]; ok {
		return nil, serviceerror.NewWorkflowExecutionAlreadyStarted("already started", "", "run-of-"+opts.ID)
	}
	s.starts[opts.ID] = args[0].(workflows.Webhook)
	return startedRun{id: opts.ID}, nil
}

// startedRun is the run recordingStarter reports; the handler reads only
// its IDs.
type startedRun struct {
	client.WorkflowRun
	id string
}

func (r startedRun) GetID() string    { return r.id }
func (r startedRun) GetRunID() string { return "run-of-" + r.id }

// validWebhookID is what the handler documents a webhook ID may be.
var validWebhookID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// FuzzHandler sends hostile deliveries, each twice, to the webhook handler:
// any body, shop, topic, webhook ID and signature (an empty signature means
// "signed correctly", so that the fuzzer reaches the start). A delivery is
// started exactly once if and only if it is authentic, complete and of a
// routed topic, with its body kept byte for byte (as the payload, or as
// the invalid body of a dead letter); everything else is answered with the
// documented 4xx, or 200 for a topic shopflow does not handle, and starts
// nothing. The committed seed corpus (testdata/fuzz/FuzzHandler) holds
// Shopify's sample payloads with their topics.
func FuzzHandler(f *testing.F) {
	f.Add([]byte(`{"id":1}`), testenv.Shop, "orders/create", "wh-1", "")
	f.Fuzz(func(t *testing.T, body []byte, shop, topic, webhookID, signature string) {
		starter := &recordingStarter{starts: map[string]workflows.Webhook{}}
		h := ingress.NewHandler(ingress.Config{
			Temporal: starter, TaskQueue: "fuzz",
			Secrets:      ingress.ShopSecrets{testenv.Shop: {[]byte(testenv.Secret)}},
			MaxBodyBytes: 64 << 10,
			Logger:       logging.NewTo(io.Discard, "fuzz", 0),
		})
		if signature == "" {
			signature = webhook.Sign([]byte(testenv.Secret), body)
		}
		deliver := func() int {
			r := httptest.NewRequest(http.MethodPost, "/webhooks/shopify", bytes.NewReader(body))
			r.Header.Set(webhook.HeaderShopDomain, shop)
			r.Header.Set(webhook.HeaderTopic, topic)
			r.Header.Set(webhook.HeaderWebhookID, webhookID)
			r.Header.Set(webhook.HeaderHMAC, signature)
			r.Header.Set(webhook.HeaderAPIVersion, "2026-10")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}

		_, routed := workflows.RouteFor(topic)
		authentic := shop == testenv.Shop && webhook.Verify(body, signature, [][]byte{[]byte(testenv.Secret)})
		want := http.StatusOK
		switch {
		case len(body) > 64<<10:
			want = http.StatusRequestEntityTooLarge
		case shop == "":
			want = http.StatusBadRequest
		case !authentic:
			want = http.StatusUnauthorized
		case topic == "" || !validWebhookID.MatchString(webhookID):
			want = http.StatusBadRequest
		}
		for i := range 2 {
			if got := deliver(); got != want {
				t.Fatalf("delivery %d answered %d, want %d", i+1, got, want)
			}
		}

		shouldStart := want == http.StatusOK && routed
		if !shouldStart {
			if len(starter.starts) != 0 {
				t.Fatalf("started %d workflows for a delivery that must start none", len(starter.starts))
			}
			return
		}
		if len(starter.starts) != 1 {
			t.Fatalf("started %d workflows, want 1", len(starter.starts))
		}
		hook, ok := starter.starts[workflows.WebhookWorkflowID(shop, webhookID)]
		if !ok {
			t.Fatalf("started under another workflow ID: %v", starter.starts)
		}
		kept := hook.Payload
		if len(hook.InvalidBody) > 0 {
			kept = hook.InvalidBody
		}
		if !bytes.Equal(kept, body) || (len(hook.Payload) > 0 && len(hook.InvalidBody) > 0) {
			t.Fatalf("body not kept as sent: payload %q, invalid body %q", hook.Payload, hook.InvalidBody)
		}
		if hook.Shop != shop || hook.Topic != topic || hook.ID != webhookID {
			t.Fatalf("started with %+v", hook)
		}
	})
}
