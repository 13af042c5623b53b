package shopifysim

import (
	"bufio"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

const runBulk = `mutation($q: String!) {
  bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } }
}`

const pollBulk = `query($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url completedAt }
}`

const bulkProducts = `{ products { edges { node { id title variants { edges { node { id sku } } } } } } }`

func waitBulk(t *testing.T, e *testEnv, id string, seen map[string]bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r := e.gql(t, pollBulk, map[string]any{"id": id})
		mustNoErrors(t, r)
		op := dig(r.Data, "bulkOperation").(map[string]any)
		seen[op["status"].(string)] = true
		switch op["status"] {
		case "COMPLETED", "FAILED", "CANCELED":
			return op
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("bulk operation %s did not finish", id)
	return nil
}

func TestBulkOperationLifecycleAndJSONL(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BulkOperationDuration = 300 * time.Millisecond })
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 40, VariantsPerProduct: 3, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	mustNoErrors(t, r)
	op := dig(r.Data, "bulkOperationRunQuery", "bulkOperation").(map[string]any)
	if op["status"] != "CREATED" {
		t.Errorf("initial status %v", op["status"])
	}
	seen := map[string]bool{}
	done := waitBulk(t, e, op["id"].(string), seen)
	if !seen["RUNNING"] || done["status"] != "COMPLETED" {
		t.Fatalf("statuses seen %v, final %v", seen, done)
	}
	if done["objectCount"] != "160" || done["rootObjectCount"] != "40" {
		t.Errorf("counts %v / %v", done["objectCount"], done["rootObjectCount"])
	}
	resp, err := http.Get(done["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	products := map[string]int{} // id → line
	var children []struct {
		parent string
		line   int
	}
	sc := bufio.NewScanner(resp.Body)
	line, grouped := 0, true
	lastProduct := ""
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		if p, ok := row["__parentId"].(string); ok {
			if row["sku"] == nil {
				t.Errorf("variant row without sku: %v", row)
			}
			children = append(children, struct {
				parent string
				line   int
			}{p, line})
			if p != lastProduct {
				grouped = false
			}
		} else {
			if _, nested := row["variants"]; nested {
				t.Errorf("nested connection left inline: %v", row)
			}
			products[row["id"].(string)] = line
			lastProduct = row["id"].(string)
		}
		line++
	}
	if line != 160 || len(products) != 40 || len(children) != 120 {
		t.Fatalf("lines %d, products %d, variants %d", line, len(products), len(children))
	}
	for _, c := range children {
		if _, ok := products[c.parent]; !ok {
			t.Errorf("__parentId %s names no product", c.parent)
		}
	}
	if grouped {
		t.Error("rows are grouped by parent; since 2026-01 they are not unless groupObjects is set")
	}
}

func TestBulkOperationConcurrencyLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BulkOperationDuration = 2 * time.Second })
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 5})
	var ids []string
	for i := range 6 {
		r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
		mustNoErrors(t, r)
		if i < 5 {
			ids = append(ids, dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id").(string))
			continue
		}
		if dig(r.Data, "bulkOperationRunQuery", "userErrors", 0, "code") != "OPERATION_IN_PROGRESS" ||
			dig(r.Data, "bulkOperationRunQuery", "bulkOperation") != nil {
			t.Fatalf("6th bulk operation: %s", r.Raw)
		}
	}
	// Cancel one: the slot frees up.
	r := e.gql(t, `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`,
		map[string]any{"id": ids[0]})
	mustNoErrors(t, r)
	if s := dig(r.Data, "bulkOperationCancel", "bulkOperation", "status"); s != "CANCELING" {
		t.Errorf("cancel status %v", s)
	}
	if done := waitBulk(t, e, ids[0], map[string]bool{}); done["status"] != "CANCELED" {
		t.Errorf("final %v", done["status"])
	}
	r = e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	if errs := dig(r.Data, "bulkOperationRunQuery", "userErrors").([]any); len(errs) != 0 {
		t.Errorf("after cancel: %s", r.Raw)
	}
}

func TestBulkQueryValidation(t *testing.T) {
	e := newEnv(t, nil)
	for q, want := range map[string]string{
		`{ shop { name } }`:     "INVALID",
		`{ products { nope } }`: "INVALID",
	} {
		r := e.gql(t, runBulk, map[string]any{"q": q})
		mustNoErrors(t, r)
		if got := dig(r.Data, "bulkOperationRunQuery", "userErrors", 0, "code"); got != want {
			t.Errorf("%s: code %v", q, got)
		}
	}
}

const cancelBulk = `mutation($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { message } }
}`

// A second cancel used to close the cancel channel again, a panic that
// surfaced as INTERNAL_SERVER_ERROR. The operation is parked in RUNNING
// without runBulk so it stays CANCELING for the second call.
func TestBulkOperationCancelTwice(t *testing.T) {
	e := newEnv(t, nil)
	sh, _ := e.sim.shop(testShop)
	sh.mu.Lock()
	b := &bulkOperation{ID: sh.id(), Query: bulkProducts, Status: "RUNNING", CreatedAt: sh.now(), cancel: make(chan struct{})}
	sh.rememberBulk(b)
	sh.mu.Unlock()
	id := gql.GID("BulkOperation", b.ID)
	for i := range 2 {
		r := e.gql(t, cancelBulk, map[string]any{"id": id})
		mustNoErrors(t, r)
		if errs := dig(r.Data, "bulkOperationCancel", "userErrors").([]any); len(errs) != 0 {
			t.Errorf("cancel %d: user errors %v", i+1, errs)
		}
		if s := dig(r.Data, "bulkOperationCancel", "bulkOperation", "status"); s != "CANCELING" {
			t.Errorf("cancel %d: status %v", i+1, s)
		}
	}
}

func TestBulkOperationConcurrentCancel(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BulkOperationDuration = 2 * time.Second })
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 5})
	r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	var wg sync.WaitGroup
	results := make([]gqlResponse, 8)
	for i := range results {
		wg.Go(func() { results[i] = e.gql(t, cancelBulk, map[string]any{"id": id}) })
	}
	wg.Wait()
	for i, r := range results {
		// A cancel that lands after runBulk finished gets a user error
		// ("cannot be canceled when it is CANCELED"), never a server error.
		mustNoErrors(t, r)
		s := dig(r.Data, "bulkOperationCancel", "bulkOperation", "status")
		if s != "CANCELING" && s != "CANCELED" {
			t.Errorf("cancel %d: %s", i, r.Raw)
		}
	}
	if done := waitBulk(t, e, id, map[string]bool{}); done["status"] != "CANCELED" {
		t.Errorf("final %v", done["status"])
	}
}

// A resolver panic inside a bulk operation runs on runBulk's goroutine, where
// nothing else would recover it: the process would crash.
func TestBulkOperationResolverPanicFails(t *testing.T) {
	// Swapped before newEnv starts the server and restored after it closed
	// (cleanups run last-in first-out), so no goroutine races on the map.
	orig := resolvers["Product"]["title"]
	resolvers["Product"]["title"] = func(*execCtx, any, *ast.Field, map[string]any) (any, error) {
		panic("boom")
	}
	t.Cleanup(func() { resolvers["Product"]["title"] = orig })
	e := newEnv(t, nil)
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 3})
	r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	done := waitBulk(t, e, id, map[string]bool{})
	if done["status"] != "FAILED" || done["errorCode"] != "INTERNAL_SERVER_ERROR" || done["url"] != nil {
		t.Errorf("got %v", done)
	}
	// The shop's lock was released: a mutation (write lock) still runs.
	r = e.gql(t, cancelBulk, map[string]any{"id": id})
	mustNoErrors(t, r)
}

func TestBulkOperationExpires(t *testing.T) {
	e := newEnv(t, nil)
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 3})
	r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	done := waitBulk(t, e, id, map[string]bool{})
	url, _ := done["url"].(string)
	if done["status"] != "COMPLETED" || url == "" {
		t.Fatalf("got %v", done)
	}
	get := func() int {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	e.clock.advance(7*24*time.Hour - time.Second)
	if code := get(); code != http.StatusOK {
		t.Fatalf("before retention: GET result %d", code)
	}
	e.clock.advance(time.Second)
	r = e.gql(t, pollBulk, map[string]any{"id": id})
	mustNoErrors(t, r)
	op := dig(r.Data, "bulkOperation").(map[string]any)
	if op["status"] != "EXPIRED" || op["url"] != nil || op["fileSize"] != nil {
		t.Errorf("after retention: %v", op)
	}
	if code := get(); code != http.StatusNotFound {
		t.Errorf("after retention: GET result %d", code)
	}
	sh, _ := e.sim.shop(testShop)
	sh.mu.RLock()
	kept := sh.bulkOps[0].data
	sh.mu.RUnlock()
	if kept != nil {
		t.Errorf("expired operation still holds %d bytes", len(kept))
	}
}

func TestBulkOperationRetentionConfigurable(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BulkOperationRetention = time.Hour })
	e.sim.SeedCatalog(testShop, SeedOptions{Products: 1})
	r := e.gql(t, runBulk, map[string]any{"q": bulkProducts})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	waitBulk(t, e, id, map[string]bool{})
	e.clock.advance(time.Hour)
	r = e.gql(t, `{ bulkOperations(first: 5, query: "status:expired") { nodes { id status } } }`, nil)
	mustNoErrors(t, r)
	if got := dig(r.Data, "bulkOperations", "nodes", 0, "id"); got != id {
		t.Errorf("status:expired listed %s", r.Raw)
	}
}

func TestBulkHistoryBounded(t *testing.T) {
	e := newEnv(t, nil)
	sh, _ := e.sim.shop(testShop)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	running := &bulkOperation{ID: sh.id(), Status: "RUNNING"}
	sh.rememberBulk(running)
	for range 3 * maxBulkHistory {
		sh.rememberBulk(&bulkOperation{ID: sh.id(), Status: "COMPLETED", data: []byte("{}\n")})
	}
	if len(sh.bulkOps) != maxBulkHistory {
		t.Errorf("%d operations remembered, want %d", len(sh.bulkOps), maxBulkHistory)
	}
	if sh.bulkByID(running.ID) == nil {
		t.Error("a running operation was forgotten")
	}
	if last := sh.bulkOps[len(sh.bulkOps)-1].ID; last != sh.nextID {
		t.Errorf("newest operation %d not last (want %d)", last, sh.nextID)
	}
}
