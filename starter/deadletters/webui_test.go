package deadletters_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
)

// An operator opens the Web UI's workflow list filtered by FailureKind and
// finds the dead letter with its summary. The test needs a dev server with
// the UI, so it starts one of its own, with a worker, the ERP simulator and
// the ingress around it.
func TestWebUIListsDeadLettersByFailureKind(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	srv, uiURL, err := devserver.StartWithUI(ctx)
	if err != nil {
		t.Fatalf("starting a dev server with the Web UI: %v", err)
	}
	defer srv.Stop()
	c := srv.Client()

	// A ProductNotFound dead letter: the ERP knows no product at all.
	const taskQueue = "webui"
	erpServer := httptest.NewServer(erpsim.New(erpsim.Options{}).Handler())
	defer erpServer.Close()
	w := worker.New(c, taskQueue, worker.Options{})
	wiring.Register(w, wiring.Webhooks, wiring.Deps{Config: fastConfig, ERP: erp.New(erpServer.URL, &http.Client{Timeout: 5 * time.Second})})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	hooks := ingress.NewHandler(ingress.Config{Temporal: c, TaskQueue: taskQueue, Secrets: ingress.ShopSecrets{testenv.Shop: {[]byte(testenv.Secret)}}})
	rec := httptest.NewRecorder()
	hooks.ServeHTTP(rec, testenv.SignedRequest(t, "/webhooks/shopify", "orders/create", "wh-webui", testenv.SampleOrder(t, 6001)))
	if rec.Code != http.StatusOK {
		t.Fatalf("ingress answered %d", rec.Code)
	}
	workflowID := workflows.WebhookWorkflowID(testenv.Shop, "wh-webui")
	var appErr *temporal.ApplicationError
	if err := c.GetWorkflow(ctx, workflowID, "").Get(ctx, nil); !errors.As(err, &appErr) || appErr.Type() != activities.FailureProductNotFound {
		t.Fatalf("workflow ended with %v, want ProductNotFound", err)
	}
	query := `ExecutionStatus="Failed" AND FailureKind="ProductNotFound"`
	testenv.AwaitVisible(t, c, query, 1)
	letters, err := deadletters.New(c, deadletters.Options{}).List(ctx, deadletters.Filter{Kind: activities.FailureProductNotFound})
	if err != nil || len(letters) != 1 {
		t.Fatalf("List = %v, %v; want the dead letter", letters, err)
	}
	summary := letters[0].Summary // "Sync new order to the ERP · <shop> · webhook wh-webui"

	browser := testenv.Browser(t, ctx)

	list := uiURL + "/namespaces/default/workflows?query=" + url.QueryEscape(query)
	// The UI answers its error page when a call of its server to Temporal
	// fails, as one may on a loaded machine; an operator reloads, so does
	// the test, a few times.
	for attempt := 1; ; attempt++ {
		if err := chromedp.Do(browser, chromedp.Navigate(list)); err != nil {
			t.Fatalf("opening %s: %v", list, err)
		}
		_, err = chromedp.Run(browser, chromedp.Poll[bool](`document.body.innerText.includes(`+jsString(workflowID)+`)`,
			chromedp.WithPollingTimeout(20*time.Second)))
		if err == nil || attempt == 3 {
			break
		}
	}
	text, _ := chromedp.Run(browser, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatalf("the Web UI's list at %s never showed %s: %v\npage text:\n%s", list, workflowID, err, text)
	}
	if !strings.Contains(text, "Failed") {
		t.Errorf("the Web UI's list does not show %s as Failed; page text:\n%s", workflowID, text)
	}

	// The list has no summary column: the operator opens the workflow.
	if err := chromedp.Do(browser, chromedp.Click(chromedp.CSS(`a[href*="wh-webui"]`))); err != nil {
		t.Fatalf("clicking %s in the list: %v", workflowID, err)
	}
	_, err = chromedp.Run(browser, chromedp.Poll[bool](`document.body.innerText.includes(`+jsString(summary)+`)`,
		chromedp.WithPollingTimeout(time.Minute)))
	if err != nil {
		text, _ := chromedp.Run(browser, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("the Web UI's page of %s never showed its summary %q: %v\npage text:\n%s", workflowID, summary, err, text)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
