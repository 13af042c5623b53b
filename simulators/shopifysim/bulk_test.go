package shopifysim

import (
	"bufio"
	"encoding/json"
	"net/http"
	"testing"
	"time"
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
