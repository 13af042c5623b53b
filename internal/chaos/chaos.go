// Package chaos proves shopflow's promise at scale: no effect lost, none
// applied twice, whatever Shopify, the ERP, the worker process and the
// Temporal server do. Run drives a real stack through one chaos run:
//
//   - the Shopify simulator creates N orders and sends their orders/create
//     webhooks to the ingress with duplicates, reordering and delays, and
//     retries every delivery that is not answered 2xx in time, as Shopify
//     does;
//   - the ERP simulator answers with 5xx, 429 with Retry-After, and commits
//     effects whose answer never arrives;
//   - the worker is a real process (bin/worker), SIGKILLed and restarted
//     several times;
//   - the Temporal server is killed and restarted once, on its own state;
//   - some orders fail for good (a product the ERP does not know) and some
//     deliveries carry a body that is not JSON: the injected permanent
//     failures;
//   - every order takes stock, and its inventory_levels/update webhooks go
//     through the same chaos to the ERP's versioned stock writes.
//
// At the end every other order has exactly one invoice and one fulfillment
// request in the ERP's ground truth, and the dead-letter store holds exactly
// the injected permanent failures. One inventory reconciliation then finds
// exactly the stock the webhooks left behind and leaves the ERP equal to
// Shopify at every level. The Temporal server is pluggable (see
// Temporal): the tests run it on a file-backed dev server and on the real
// Temporal server on PostgreSQL.
package chaos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/shopflow/shopflow/activities"
	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/workflows"
)

// Temporal is the Temporal server a run works against.
type Temporal interface {
	// Address is the frontend's host:port; it stays the same across
	// restarts.
	Address() string
	// Restart kills the server's process and starts it again on the same
	// state and address.
	Restart(ctx context.Context) error
}

// Config sizes a run.
type Config struct {
	// Orders is the number of orders the Shopify simulator creates.
	Orders int
	// PoisonEvery makes every PoisonEvery-th order include a product the
	// ERP does not know: a permanent ProductNotFound failure. 0 means 50.
	PoisonEvery int
	// InvalidBodies is the number of deliveries whose body is not JSON
	// (permanent InvalidPayload failures). 0 means Orders/100 + 1.
	InvalidBodies int
	// WorkerKills is how often the worker process is SIGKILLed and
	// restarted. 0 means 3.
	WorkerKills int
	// WorkerBinary is the path of the worker binary (bin/worker).
	WorkerBinary string
	// Senders is the number of goroutines creating orders; 0 means 8.
	Senders int
	// Rate paces order creation, in orders per second, so that the chaos
	// falls among orders in flight; 0 means 50.
	Rate float64
	// Timeout bounds the whole run; 0 means 30 minutes.
	Timeout time.Duration
	// Logf receives progress lines and the figures.
	Logf func(format string, args ...any)
}

// Report holds a run's figures.
type Report struct {
	Orders           int                        // orders created in the Shopify simulator
	PoisonedOrders   int                        // of which meant to fail: unknown product
	InvalidBodies    int                        // deliveries whose body is not JSON
	WebhooksSent     int64                      // webhook events the simulator raised
	DuplicatesSent   int64                      // webhooks the simulator sent twice
	Deliveries       int64                      // POSTs made by the simulator, retries included
	FailedDeliveries int64                      // of which not answered 2xx in time, then retried
	Abandoned        int64                      // deliveries given up after Shopify's retries: lost
	Started          int64                      // workflows the ingress started
	Duplicates       int64                      // deliveries the ingress recognised as redeliveries
	ERPFaults        map[erpsim.FaultKind]int64 // faults the ERP injected, by kind
	ERPReplays       int64                      // ERP writes answered from an idempotency key
	DeadLetters      map[string]int             // open dead letters by failure kind
	Invoices         int                        // in the ERP's ground truth, all orders
	Fulfillments     int                        // fulfillment requests, likewise
	StockLevels      int                        // inventory levels followed
	StockWrites      int64                      // stock writes from inventory_levels/update the ERP applied
	StaleStockWrites int64                      // refused as older than the ERP's version: late webhooks
	StockDrift       int                        // levels the webhooks left behind Shopify (same-second changes)
	StockCorrected   int                        // of which the inventory reconciliation corrected
	WorkerKills      int
	TemporalRestarts int
	Duration         time.Duration // from the first order to the last effect
}

// String prints the figures.
func (r Report) String() string {
	return fmt.Sprintf("orders %d (%d poisoned) + %d invalid bodies; webhooks sent %d (%d sent twice), POSTs %d (%d failed and retried, %d abandoned); "+
		"ingress started %d workflows, absorbed %d duplicates; ERP faults %v, idempotent replays %d; "+
		"dead letters %v; invoices %d, fulfillment requests %d; stock levels %d, stock writes %d (%d stale refused), drift after webhooks %d, corrected %d; "+
		"worker kills %d, Temporal restarts %d; duration %v",
		r.Orders, r.PoisonedOrders, r.InvalidBodies, r.WebhooksSent, r.DuplicatesSent, r.Deliveries, r.FailedDeliveries, r.Abandoned,
		r.Started, r.Duplicates, r.ERPFaults, r.ERPReplays, r.DeadLetters, r.Invoices, r.Fulfillments,
		r.StockLevels, r.StockWrites, r.StaleStockWrites, r.StockDrift, r.StockCorrected, r.WorkerKills, r.TemporalRestarts,
		r.Duration.Round(time.Millisecond))
}

const (
	shop    = "chaos-shop.myshopify.com"
	secret  = "chaos-webhook-secret"
	token   = "shpat_chaos"
	catalog = 20 // products in the shop; the last one is not in the ERP
)

// Run performs one chaos run against server and returns its figures; the
// error lists every broken promise.
func Run(ctx context.Context, server Temporal, cfg Config) (Report, error) {
	if cfg.PoisonEvery == 0 {
		cfg.PoisonEvery = 50
	}
	if cfg.InvalidBodies == 0 {
		cfg.InvalidBodies = cfg.Orders/100 + 1
	}
	if cfg.WorkerKills == 0 {
		cfg.WorkerKills = 3
	}
	if cfg.Senders == 0 {
		cfg.Senders = 8
	}
	if cfg.Rate == 0 {
		cfg.Rate = 50
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Minute
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	began := time.Now()
	rep := Report{Orders: cfg.Orders, InvalidBodies: cfg.InvalidBodies}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	// The ERP, failing in every retriable way.
	erpSim := erpsim.New(erpsim.Options{Logger: quiet})
	erpServer := httptest.NewServer(erpSim.Handler())
	defer erpServer.Close()

	// Shopify, with at-least-once, unordered, delayed delivery. Time runs
	// ten times faster for its retries: 6 s, 12 s, 24 s ... instead of
	// 1 min, 2 min, 4 min.
	shopify := shopifysim.New(shopifysim.Config{
		Shops:            []shopifysim.ShopConfig{{Domain: shop, AccessToken: token, WebhookSecret: secret, Plan: shopifysim.PlanPlus}},
		WebhookTimeScale: 0.1,
		Logger:           quiet,
	})
	defer shopify.Close()
	shopifyServer := httptest.NewServer(shopify.Handler())
	defer shopifyServer.Close()
	products, err := seedCatalog(ctx, shopify, erpServer.URL)
	if err != nil {
		return rep, err
	}
	levels, err := seedStock(shopify, erpSim)
	if err != nil {
		return rep, err
	}
	rep.StockLevels = len(levels)
	// Faults from here on: the catalog is in place.
	if err := erpSim.SetFaults([]erpsim.Fault{
		// About 1 request in 11 fails: an activity making several requests
		// fails one attempt in three or four, and a run of eight failed
		// attempts (minutes of backoff at the retry policy's 1 min cap)
		// stays rare even at 10,000 orders.
		{Kind: erpsim.FaultError, Status: http.StatusServiceUnavailable, Probability: 0.03},
		{Kind: erpsim.FaultError, Status: http.StatusBadGateway, Probability: 0.02},
		{Kind: erpsim.FaultRateLimit, RetryAfter: "0.2", Probability: 0.03},
		{Method: http.MethodPost, Kind: erpsim.FaultCommitThenTimeout, Latency: 1500 * time.Millisecond, Probability: 0.04},
	}); err != nil {
		return rep, err
	}

	// The ingress, in this process, as `starter serve` runs it.
	tc, err := client.DialContext(ctx, client.Options{HostPort: server.Address(), Logger: log.NewStructuredLogger(quiet)})
	if err != nil {
		return rep, fmt.Errorf("connecting to Temporal at %s: %w", server.Address(), err)
	}
	defer tc.Close()
	reg := prometheus.NewRegistry()
	hooks := ingress.NewHandler(ingress.Config{
		Temporal: tc, Secrets: ingress.ShopSecrets{shop: {[]byte(secret)}},
		Logger: quiet, Metrics: ingress.NewMetrics(reg),
	})
	ingressServer := httptest.NewServer(ingress.NewMux(hooks, tc, reg))
	defer ingressServer.Close()
	ingressURL := ingressServer.URL + "/webhooks/shopify"
	for _, topic := range []string{"orders/create", "inventory_levels/update"} {
		if err := shopify.Subscribe(shop, topic, ingressURL); err != nil {
			return rep, err
		}
	}
	if err := shopify.SetFaults(shop, shopifysim.Faults{
		WebhookDuplicateRate: 0.1, WebhookReorderRate: 0.3, WebhookReorderDelay: 30 * time.Second,
	}); err != nil {
		return rep, err
	}

	// The worker, a process of its own.
	w := &workerProcess{binary: cfg.WorkerBinary, args: []string{
		"--temporal-address", server.Address(), "--queues", "webhooks,reconcile",
		"--erp-url", erpServer.URL, "--erp-timeout", "1s", "--max-attempts", "100",
		"--metrics-addr", "127.0.0.1:0", "--shopify-url", shopifyServer.URL,
	}, env: []string{"SHOPFLOW_SHOPIFY_TOKENS=" + shop + "=" + token}}
	if err := w.start(); err != nil {
		return rep, err
	}
	defer w.stop()

	// Orders, the permanent failures among them, and the chaos in between.
	orders := make([]int64, cfg.Orders)
	poisoned := map[int64]bool{}
	var created atomic.Int64
	var mu sync.Mutex
	var createErr error
	var wg sync.WaitGroup
	var next atomic.Int64
	for range cfg.Senders {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= cfg.Orders || ctx.Err() != nil {
					return
				}
				if wait := time.Until(began.Add(time.Duration(float64(i) / cfg.Rate * float64(time.Second)))); wait > 0 {
					time.Sleep(wait)
				}
				poison := (i+1)%cfg.PoisonEvery == 0
				id, err := createOrder(shopify, products, i, poison)
				mu.Lock()
				if err != nil && createErr == nil {
					createErr = err
				}
				orders[i] = id
				if poison {
					poisoned[id] = true
				}
				mu.Unlock()
				created.Add(1)
			}
		})
	}
	invalidIDs, err := deliverInvalidBodies(ctx, ingressURL, cfg.InvalidBodies)
	if err != nil {
		return rep, err
	}

	// Chaos on a schedule over the creation of the orders: worker kills at
	// evenly spaced points, the Temporal restart in the middle; one more
	// kill while the backlog drains.
	chaosDone := make(chan error, 1)
	go func() {
		chaosDone <- func() error {
			restarted := false
			for k := 1; k <= cfg.WorkerKills; k++ {
				at := int64(cfg.Orders * k / (cfg.WorkerKills + 1))
				if k == cfg.WorkerKills {
					at = int64(cfg.Orders) // the last kill: during the drain
				}
				for created.Load() < at && ctx.Err() == nil {
					if !restarted && created.Load() >= int64(cfg.Orders/2) {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				if !restarted && created.Load() >= int64(cfg.Orders/2) {
					cfg.Logf("chaos: restarting Temporal after %d orders", created.Load())
					t0 := time.Now()
					if err := server.Restart(ctx); err != nil {
						return fmt.Errorf("restarting Temporal: %w", err)
					}
					cfg.Logf("chaos: Temporal back after %v", time.Since(t0).Round(time.Millisecond))
					rep.TemporalRestarts++
					restarted = true
					k-- // this round's kill is still due
					continue
				}
				if k == cfg.WorkerKills {
					time.Sleep(2 * time.Second) // into the drain
				}
				cfg.Logf("chaos: SIGKILL worker after %d orders", created.Load())
				if err := w.kill(); err != nil {
					return err
				}
				time.Sleep(500 * time.Millisecond) // a dead worker for a moment
				if err := w.start(); err != nil {
					return err
				}
				rep.WorkerKills++
			}
			return nil
		}()
	}()
	wg.Wait()
	if createErr != nil {
		return rep, fmt.Errorf("creating orders: %w", createErr)
	}
	cfg.Logf("created %d orders in %v", cfg.Orders, time.Since(began).Round(time.Millisecond))
	if err := <-chaosDone; err != nil {
		return rep, err
	}
	for _, p := range poisoned {
		if p {
			rep.PoisonedOrders++
		}
	}

	// Wait for the end: every delivery settled, no workflow open, every
	// good order's effects in the ERP.
	store := deadletters.New(tc, deadletters.Options{})
	wantDead := rep.PoisonedOrders + cfg.InvalidBodies
	for {
		st := shopify.Stats(shop)
		settled := st.WebhooksDelivered+st.WebhooksAbandoned == st.WebhooksEmitted+st.WebhooksDuplicated
		open, err := tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: `ExecutionStatus="Running"`})
		// Visibility lags under load: "none running" can be read while
		// the last workflows still run. A workflow is counted closed only
		// once it has closed, and each webhook event (and invalid body)
		// starts exactly one, so all are done when as many have closed.
		closed, cerr := tc.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: `ExecutionStatus!="Running"`})
		events := st.WebhooksEmitted + int64(cfg.InvalidBodies)
		if err == nil && cerr == nil && settled && open.GetCount() == 0 && closed.GetCount() >= events {
			dead, err := store.Count(ctx, deadletters.Filter{Shop: shop})
			if err == nil && sumCounts(dead) >= wantDead && allSynced(erpSim, orders, poisoned) {
				break
			}
		}
		if ctx.Err() != nil {
			return rep, fmt.Errorf("the run did not settle in %v: deliveries %+v, open workflows %d (%v)", cfg.Timeout, st, open.GetCount(), err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	rep.Duration = time.Since(began)

	// The figures, and the promises.
	st := shopify.Stats(shop)
	rep.WebhooksSent, rep.DuplicatesSent = st.WebhooksEmitted, st.WebhooksDuplicated
	rep.Deliveries, rep.FailedDeliveries, rep.Abandoned = st.WebhookAttempts, st.WebhookFailedAttempts, st.WebhooksAbandoned
	es := erpSim.Stats()
	rep.ERPFaults, rep.ERPReplays = es.FaultsInjected, es.IdempotentReplays
	rep.StockWrites, rep.StaleStockWrites = stockWrites(es)
	rep.Started = int64(counterValue(reg, "shopflow_webhooks_total", "started") + counterValue(reg, "shopflow_webhooks_total", "invalid_payload"))
	rep.Duplicates = int64(counterValue(reg, "shopflow_webhooks_total", "duplicate"))

	var problems []error
	// Stock: what the webhooks left, then one reconciliation.
	drift, err := stockDrift(shopify, erpSim, levels)
	if err != nil {
		return rep, err
	}
	rep.StockDrift = len(drift)
	inv, err := reconcileStock(ctx, tc)
	if err != nil {
		return rep, err
	}
	rep.StockCorrected = inv.Corrected
	if inv.Drifted != len(drift) || inv.Corrected != len(drift) {
		problems = append(problems, fmt.Errorf("the inventory reconciliation found %d levels drifted and corrected %d; want %d and %d (drift %q; report %+v)",
			inv.Drifted, inv.Corrected, len(drift), len(drift), drift, inv))
	}
	left, err := stockDrift(shopify, erpSim, levels)
	if err != nil {
		return rep, err
	}
	for _, d := range left {
		problems = append(problems, fmt.Errorf("stock still differs after the reconciliation: %s", d))
	}
	for i, id := range orders {
		invoices, fulfillments := erpSim.OrderRecords(shop, id)
		rep.Invoices += len(invoices)
		rep.Fulfillments += len(fulfillments)
		want := 1
		if poisoned[id] {
			want = 0
		}
		if len(invoices) != want || len(fulfillments) != want {
			problems = append(problems, fmt.Errorf("order %d (#%d): %d invoices and %d fulfillment requests, want %d", id, i+1, len(invoices), len(fulfillments), want))
		}
	}
	letters, err := store.List(ctx, deadletters.Filter{Shop: shop})
	if err != nil {
		return rep, fmt.Errorf("listing dead letters: %w", err)
	}
	rep.DeadLetters = map[string]int{}
	// A poisoned order's dead letter is known by its resource (the
	// simulator picks webhook IDs), an invalid body's by its webhook ID.
	wantLetters := map[string]string{} // order GID or workflow ID -> failure kind
	for id := range poisoned {
		wantLetters[fmt.Sprintf("gid://shopify/Order/%d", id)] = activities.FailureProductNotFound
	}
	for _, id := range invalidIDs {
		wantLetters[workflows.WebhookWorkflowID(shop, id)] = activities.FailureInvalidPayload
	}
	for _, d := range letters {
		rep.DeadLetters[d.Kind]++
		key := d.ResourceID
		if key == "" {
			key = d.WorkflowID
		}
		kind, ok := wantLetters[key]
		switch {
		case !ok:
			problems = append(problems, fmt.Errorf("unexpected dead letter %s (%s, %s)", d.WorkflowID, d.Kind, d.ResourceID))
		case kind != d.Kind:
			problems = append(problems, fmt.Errorf("dead letter %s failed as %s, want %s", d.WorkflowID, d.Kind, kind))
		}
		delete(wantLetters, key)
	}
	for id, kind := range wantLetters {
		problems = append(problems, fmt.Errorf("missing dead letter %s (%s)", id, kind))
	}
	if rep.Abandoned > 0 {
		problems = append(problems, fmt.Errorf("%d deliveries abandoned by Shopify", rep.Abandoned))
	}
	// The run means something only if the chaos happened.
	for _, k := range []erpsim.FaultKind{erpsim.FaultError, erpsim.FaultRateLimit, erpsim.FaultCommitThenTimeout} {
		if rep.ERPFaults[k] == 0 {
			problems = append(problems, fmt.Errorf("no ERP %s fault was injected", k))
		}
	}
	if rep.StockWrites == 0 || rep.StaleStockWrites == 0 {
		problems = append(problems, fmt.Errorf("%d stock writes applied and %d refused as stale: the inventory webhooks did not go through the chaos", rep.StockWrites, rep.StaleStockWrites))
	}
	if rep.DuplicatesSent == 0 || rep.Duplicates == 0 {
		problems = append(problems, fmt.Errorf("no duplicate delivery was sent (%d) or absorbed (%d)", rep.DuplicatesSent, rep.Duplicates))
	}
	if rep.WorkerKills != cfg.WorkerKills || rep.TemporalRestarts != 1 {
		problems = append(problems, fmt.Errorf("%d worker kills and %d Temporal restarts, want %d and 1", rep.WorkerKills, rep.TemporalRestarts, cfg.WorkerKills))
	}
	cfg.Logf("figures: %s", rep)
	if len(problems) > 10 {
		problems = append(problems[:10], fmt.Errorf("... and %d more", len(problems)-10))
	}
	return rep, errors.Join(problems...)
}

// seedCatalog gives the shop a catalog and mirrors it into the ERP, all but
// the last product, which poisoned orders buy. It returns the products'
// GIDs.
func seedCatalog(ctx context.Context, shopify *shopifysim.Simulator, erpURL string) ([]string, error) {
	if err := shopify.SeedCatalog(shop, shopifysim.SeedOptions{Products: catalog}); err != nil {
		return nil, err
	}
	products, err := shopify.Catalog(shop)
	if err != nil {
		return nil, err
	}
	erpClient := erp.New(erpURL, nil)
	ids := make([]string, 0, len(products))
	for i, p := range products {
		ids = append(ids, p.ID)
		if i == len(products)-1 {
			break // unknown to the ERP
		}
		_, productID, err := admin.ParseGID(p.ID)
		if err != nil {
			return nil, err
		}
		for _, v := range p.Variants {
			_, variantID, err := admin.ParseGID(v.ID)
			if err != nil {
				return nil, err
			}
			if _, err := erpClient.PutProduct(ctx, erp.Product{SKU: v.SKU, Name: p.Title, ShopifyProductID: productID, ShopifyVariantID: variantID}); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// createOrder creates order i: one to three known products, plus the
// unknown one if poisoned. It returns the order's numeric ID.
func createOrder(shopify *shopifysim.Simulator, products []string, i int, poison bool) (int64, error) {
	r := rand.New(rand.NewPCG(uint64(i), 12))
	known := products[:len(products)-1]
	var lines []shopifysim.LineItemInput
	for range 1 + r.IntN(3) {
		lines = append(lines, shopifysim.LineItemInput{ProductID: known[r.IntN(len(known))], Quantity: 1 + r.IntN(3)})
	}
	if poison {
		lines = append(lines, shopifysim.LineItemInput{ProductID: products[len(products)-1], Quantity: 1})
	}
	o, err := shopify.CreateOrder(shop, shopifysim.OrderInput{LineItems: lines})
	if err != nil {
		return 0, err
	}
	_, id, err := admin.ParseGID(o.ID)
	return id, err
}

// deliverInvalidBodies posts signed deliveries whose body is not JSON,
// retrying each until the ingress accepts it, and returns their webhook IDs.
func deliverInvalidBodies(ctx context.Context, url string, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("chaos-invalid-%d", i)
		body := fmt.Appendf(nil, `{"id": %d, "line_items": [`, 900_000+i) // cut short
		for {
			req, err := webhook.NewRequest(ctx, url, []byte(secret), webhook.Delivery{
				Topic: "orders/create", Shop: shop, APIVersion: admin.DefaultAPIVersion, WebhookID: ids[i], Body: body,
			})
			if err != nil {
				return nil, err
			}
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return ids, nil
}

// allSynced reports whether every good order has its effects in the ERP.
func allSynced(erpSim *erpsim.Server, orders []int64, poisoned map[int64]bool) bool {
	for _, id := range orders {
		if poisoned[id] {
			continue
		}
		invoices, fulfillments := erpSim.OrderRecords(shop, id)
		if len(invoices) == 0 || len(fulfillments) == 0 {
			return false
		}
	}
	return true
}

func sumCounts(counts []deadletters.Count) int {
	n := 0
	for _, c := range counts {
		n += c.Count
	}
	return n
}

// counterValue sums a counter's series whose outcome label is outcome.
func counterValue(reg *prometheus.Registry, name, outcome string) float64 {
	families, err := reg.Gather()
	if err != nil {
		return 0
	}
	var v float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					v += m.GetCounter().GetValue()
				}
			}
		}
	}
	return v
}
