package shopifysim

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/shopflow/shopflow/shopify/webhook"
)

// received is one webhook delivery as the receiver saw it.
type received struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver records deliveries; status decides each answer.
type receiver struct {
	mu     sync.Mutex
	got    []received
	status func(n int) int
	srv    *httptest.Server
}

func newReceiver(t *testing.T, status func(n int) int) *receiver {
	rc := &receiver{status: status}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: body, at: time.Now()})
		n := len(rc.got)
		rc.mu.Unlock()
		code := http.StatusOK
		if rc.status != nil {
			code = rc.status(n)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) wait(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		rc.mu.Lock()
		if len(rc.got) >= n {
			out := append([]received(nil), rc.got...)
			rc.mu.Unlock()
			return out
		}
		rc.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("got %d deliveries, want %d", len(rc.got), n)
	return nil
}

// schemaFor compiles testdata/webhooks/<topic>.schema.json.
func schemaFor(t *testing.T, topic string) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join("testdata", "webhooks", topic+".schema.json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestWebhooksSignedAndValid(t *testing.T) {
	e := newEnv(t, nil)
	rc := newReceiver(t, nil)
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 3, VariantsPerProduct: 2, Locations: 2})
	// Subscribe through GraphQL for one topic and the Go API for the rest.
	r := e.gql(t, `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
	  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id topic uri format } userErrors { message } }
	}`, map[string]any{"topic": "ORDERS_CREATE", "sub": map[string]any{"uri": rc.srv.URL, "format": "JSON"}})
	mustNoErrors(t, r)
	if dig(r.Data, "webhookSubscriptionCreate", "webhookSubscription", "topic") != "ORDERS_CREATE" {
		t.Fatalf("subscription: %s", r.Raw)
	}
	for _, topic := range []string{"orders/updated", "products/create", "products/update", "products/delete", "inventory_levels/update"} {
		if err := e.sim.Subscribe(testShop, topic, rc.srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	cat, _ := e.sim.Catalog(testShop)
	locs, _ := e.sim.Locations(testShop)
	o, err := e.sim.CreateOrder(testShop, OrderInput{LineItems: []LineItemInput{{VariantID: cat[0].Variants[1].ID, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	note := "gift"
	e.sim.UpdateOrder(testShop, o.ID, OrderUpdate{Note: &note})
	p, _ := e.sim.CreateProduct(testShop, ProductInput{Title: "New Hat", SKUs: []string{"HAT-1"}})
	e.sim.UpdateProduct(testShop, p.ID, ProductInput{Title: "Newer Hat"})
	e.sim.DeleteProduct(testShop, p.ID)
	e.sim.SetStock(testShop, cat[1].Variants[0].InventoryItemID, locs[1].ID, "available", 3)

	// orders/create + inventory (order) + orders/updated + 3 product + inventory (SetStock).
	got := rc.wait(t, 7)
	schemas := map[string]*jsonschema.Schema{}
	topicsSeen := map[string]int{}
	for _, d := range got {
		topic := d.header.Get(webhook.HeaderTopic)
		topicsSeen[topic]++
		if !webhook.Verify(d.body, d.header.Get(webhook.HeaderHMAC), [][]byte{[]byte(testSecret)}) {
			t.Errorf("%s: bad HMAC", topic)
		}
		for _, h := range []string{webhook.HeaderShopDomain, webhook.HeaderAPIVersion, webhook.HeaderWebhookID, webhook.HeaderEventID, webhook.HeaderTriggeredAt} {
			if d.header.Get(h) == "" {
				t.Errorf("%s: missing %s", topic, h)
			}
		}
		if d.header.Get(webhook.HeaderShopDomain) != testShop {
			t.Errorf("shop header %q", d.header.Get(webhook.HeaderShopDomain))
		}
		if schemas[topic] == nil {
			schemas[topic] = schemaFor(t, topic)
			if schemas[topic].Validate(map[string]any{}) == nil {
				t.Fatalf("%s schema accepts an empty object", topic)
			}
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.body))
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas[topic].Validate(inst); err != nil {
			t.Errorf("%s payload does not match the schema: %v", topic, err)
		}
	}
	for _, topic := range []string{"orders/create", "orders/updated", "products/create", "products/update", "products/delete"} {
		if topicsSeen[topic] != 1 {
			t.Errorf("%s delivered %d times", topic, topicsSeen[topic])
		}
	}
	if topicsSeen["inventory_levels/update"] != 2 {
		t.Errorf("inventory_levels/update delivered %d times", topicsSeen["inventory_levels/update"])
	}
	st := e.sim.Stats(testShop)
	if st.WebhooksDelivered != 7 || st.WebhookAttempts != 7 {
		t.Errorf("stats %+v", st)
	}
}

func TestWebhookRetriesWithBackoff(t *testing.T) {
	// Scale 0.0002: the 1, 2, 4 minute backoffs become 12, 24, 48 ms.
	e := newEnv(t, func(c *Config) { c.WebhookTimeScale = 0.0002 })
	rc := newReceiver(t, func(n int) int {
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 1})
	e.sim.Subscribe(testShop, "orders/create", rc.srv.URL)
	cat, _ := e.sim.Catalog(testShop)
	if _, err := e.sim.CreateOrder(testShop, OrderInput{LineItems: []LineItemInput{{ProductID: cat[0].ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	got := rc.wait(t, 4)
	id := got[0].header.Get(webhook.HeaderWebhookID)
	for i, d := range got {
		if d.header.Get(webhook.HeaderWebhookID) != id {
			t.Errorf("attempt %d has another webhook id", i)
		}
	}
	for i := 1; i < 4; i++ {
		gap := got[i].at.Sub(got[i-1].at)
		want := time.Duration(float64(time.Minute<<(i-1)) * 0.0002)
		if gap < want {
			t.Errorf("retry %d after %v, want at least %v", i, gap, want)
		}
	}
	time.Sleep(50 * time.Millisecond)
	st := e.sim.Stats(testShop)
	if st.WebhookAttempts != 4 || st.WebhooksDelivered != 1 || st.WebhookFailedAttempts != 3 {
		t.Errorf("stats attempts %d delivered %d failed %d", st.WebhookAttempts, st.WebhooksDelivered, st.WebhookFailedAttempts)
	}
}

func TestWebhookGivesUpAfterEightRetries(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.WebhookTimeScale = 0.00001 })
	rc := newReceiver(t, func(int) int { return http.StatusServiceUnavailable })
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 1})
	e.sim.Subscribe(testShop, "orders/create", rc.srv.URL)
	cat, _ := e.sim.Catalog(testShop)
	e.sim.CreateOrder(testShop, OrderInput{LineItems: []LineItemInput{{ProductID: cat[0].ID, Quantity: 1}}})
	rc.wait(t, 9)
	deadline := time.Now().Add(5 * time.Second)
	for e.sim.Stats(testShop).WebhooksAbandoned != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := e.sim.Stats(testShop); st.WebhookAttempts != 9 || st.WebhooksAbandoned != 1 {
		t.Errorf("attempts %d abandoned %d", st.WebhookAttempts, st.WebhooksAbandoned)
	}
}

func TestWebhookFaults(t *testing.T) {
	e := newEnv(t, nil)
	rc := newReceiver(t, nil)
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 1})
	e.sim.Subscribe(testShop, "products/update", rc.srv.URL)
	cat, _ := e.sim.Catalog(testShop)
	e.sim.SetFaults(testShop, Faults{WebhookDuplicateRate: 1})
	e.sim.UpdateProduct(testShop, cat[0].ID, ProductInput{Title: "A"})
	got := rc.wait(t, 2)
	if got[0].header.Get(webhook.HeaderWebhookID) != got[1].header.Get(webhook.HeaderWebhookID) {
		t.Error("a duplicate must carry the same webhook id")
	}
	e.sim.SetFaults(testShop, Faults{WebhookDropRate: 1})
	e.sim.UpdateProduct(testShop, cat[0].ID, ProductInput{Title: "B"})
	time.Sleep(50 * time.Millisecond)
	if st := e.sim.Stats(testShop); st.WebhooksDropped != 1 || st.WebhooksDuplicated != 1 || st.WebhooksDelivered != 2 {
		t.Errorf("stats %+v", st)
	}
}

// A receiver that answers with a body must not cost a new connection per
// delivery: the body is drained before it is closed.
func TestWebhookDeliveryReusesConnection(t *testing.T) {
	e := newEnv(t, nil)
	var mu sync.Mutex
	conns := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write(bytes.Repeat([]byte("ok "), 4<<10))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	sh, _ := e.sim.shop(testShop)
	dl := &delivery{shop: sh, uri: srv.URL, topic: "orders/create", body: []byte(`{}`), webhookID: "w", eventID: "e", triggeredAt: time.Now()}
	for i := range 3 {
		if code, err := e.sim.hooks.post(context.Background(), dl, 5*time.Second); err != nil || code != http.StatusOK {
			t.Fatalf("post %d: %d %v", i, code, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 1 {
		t.Errorf("%d connections for 3 sequential deliveries, want 1", conns)
	}
}
