package codecserver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/starter/codecserver"
	"github.com/shopflow/shopflow/workflows"
)

// Done when 4: an operator opens an encrypted order workflow in the Web UI,
// started with the codec server as its codec endpoint, and reads the
// customer's email in its input. The browser sends the token as an
// operator's authenticating proxy would (an extra header on every request);
// the history itself holds only ciphertext.
func TestWebUIShowsDecodedPayloadThroughTheCodecServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	store, err := testenv.TestKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	codec, err := encryption.New(testenv.TestKeyring(), store)
	if err != nil {
		t.Fatal(err)
	}
	// The UI's address is known only once it runs: allow the codec
	// server's origins to be set after it starts.
	var origins []string
	codecSrv := httptest.NewServer(lateOrigins(&origins, codec))
	defer codecSrv.Close()

	srv, uiURL, err := devserver.StartUIWith(ctx, devserver.Options{UICodecEndpoint: codecSrv.URL, DataConverter: codec.DataConverter(), FailureConverter: codec.FailureConverter()})
	if err != nil {
		t.Fatalf("starting a dev server with the Web UI: %v", err)
	}
	defer srv.Stop()
	origins = []string{uiURL, strings.Replace(uiURL, "127.0.0.1", "localhost", 1)}

	// An order workflow no worker picks up: its input stays in the history,
	// encrypted under the shop's key.
	const shop = "webui-shop.myshopify.com"
	workflowID := workflows.WebhookWorkflowID(shop, "wh-webui-codec")
	run, err := srv.Client().ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflowID, TaskQueue: "nobody-polls"}, "OrderCreated",
		workflows.Webhook{Shop: shop, Topic: "orders/create", ID: "wh-webui-codec", Payload: testenv.SampleOrder(t, 7301)})
	if err != nil {
		t.Fatal(err)
	}

	browser := testenv.Browser(t, ctx)

	page := uiURL + "/namespaces/default/workflows/" + strings.ReplaceAll(workflowID, "/", "%2F") + "/" + run.GetRunID() + "/history"
	if _, err := chromedp.Call(browser, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(browser, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Authorization": "Bearer " + token},
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(browser, chromedp.Navigate(page)); err != nil {
		t.Fatalf("opening %s: %v", page, err)
	}
	_, err = chromedp.Run(browser, chromedp.Poll[bool](`document.body.innerText.includes('jon@example.com')`,
		chromedp.WithPollingTimeout(time.Minute)))
	if err != nil {
		text, _ := chromedp.Run(browser, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("the Web UI's page of %s never showed the decoded email: %v\npage text:\n%.3000s", workflowID, err, text)
	}

	// Without the token the codec server refuses, and the UI can show
	// only the ciphertext (its "binary/encrypted" encoding, base64).
	if _, err := chromedp.Call(browser, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{}}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(browser, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	_, err = chromedp.Run(browser, chromedp.Poll[bool](`document.body.innerText.includes('YmluYXJ5L2VuY3J5cHRlZA')`,
		chromedp.WithPollingTimeout(time.Minute)))
	text, _ := chromedp.Run(browser, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil || strings.Contains(text, "jon@example.com") {
		t.Fatalf("without the token the Web UI should show only ciphertext (%v); page text:\n%.3000s", err, text)
	}
}

// lateOrigins is the codec server's handler with origins read on each
// request.
func lateOrigins(origins *[]string, codec *encryption.Codec) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		codecserver.NewHandler(codecserver.Config{Codec: codec, Tokens: []string{token}, Origins: *origins}).ServeHTTP(w, r)
	}
}
