package shopifysim

import (
	"testing"
	"time"
)

// A bulk mutation as an app runs one: stage an upload, POST the JSONL of
// variables to the target with its parameters, run the mutation on the
// staged path, poll, download the result.
func TestBulkMutationThroughStagedUpload(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 2, VariantsPerProduct: 1, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	cat, _ := e.sim.Catalog(testShop)
	var vars []map[string]any
	for i, p := range cat {
		vars = append(vars, map[string]any{"m": []any{map[string]any{"ownerId": p.ID, "namespace": "bulk", "key": "count", "type": "number_integer", "value": []string{"1", "x"}[i]}}})
	}
	key := stageBulkVariables(t, e, vars)

	const run = `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) {
	  bulkOperation { id status type } userErrors { field message code } } }`
	mutation := `mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id value } userErrors { field code } } }`
	r := e.gql(t, run, map[string]any{"m": mutation, "path": "tmp/nope"})
	if dig(r.Data, "bulkOperationRunMutation", "userErrors", 0, "code") != "NO_SUCH_FILE" {
		t.Errorf("unknown staged path: %s", r.Raw)
	}
	r = e.gql(t, run, map[string]any{"m": mutation, "path": key})
	mustNoErrors(t, r)
	if dig(r.Data, "bulkOperationRunMutation", "bulkOperation", "type") != "MUTATION" {
		t.Fatalf("run: %s", r.Raw)
	}
	id := dig(r.Data, "bulkOperationRunMutation", "bulkOperation", "id")
	var url string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p := e.gql(t, `query($id: ID!) { bulkOperation(id: $id) { status url objectCount } }`, map[string]any{"id": id})
		mustNoErrors(t, p)
		if dig(p.Data, "bulkOperation", "status") == "COMPLETED" {
			url, _ = dig(p.Data, "bulkOperation", "url").(string)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not completed: %s", p.Raw)
		}
	}
	_, lines := readJSONL(t, url)
	if len(lines) != 2 || lines[0]["__lineNumber"] != float64(0) || lines[1]["__lineNumber"] != float64(1) {
		t.Fatalf("result lines %v", lines)
	}
	if dig(lines[0], "data", "metafieldsSet", "metafields", 0, "value") != "1" ||
		dig(lines[1], "data", "metafieldsSet", "userErrors", 0, "code") != "INVALID_VALUE" {
		t.Errorf("result lines %v", lines)
	}
	if v := e.gql(t, `{ currentBulkOperation(type: MUTATION) { id } }`, nil); dig(v.Data, "currentBulkOperation", "id") != id {
		t.Errorf("current bulk mutation: %s", v.Raw)
	}
}
