package shopifysim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// stageBulkVariables uploads lines as a staged BULK_MUTATION_VARIABLES file
// the way an app does (stagedUploadsCreate, then a multipart POST to its
// target) and returns the stagedUploadPath.
func stageBulkVariables(t *testing.T, e *testEnv, lines []map[string]any) string {
	t.Helper()
	r := e.gql(t, `mutation { stagedUploadsCreate(input: [{resource: BULK_MUTATION_VARIABLES, filename: "vars.jsonl", mimeType: "text/jsonl", httpMethod: POST}]) {
	  stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`, nil)
	mustNoErrors(t, r)
	target := dig(r.Data, "stagedUploadsCreate", "stagedTargets", 0).(map[string]any)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	var key string
	for _, p := range target["parameters"].([]any) {
		p := p.(map[string]any)
		mw.WriteField(p["name"].(string), p["value"].(string))
		if p["name"] == "key" {
			key = p["value"].(string)
		}
	}
	fw, _ := mw.CreateFormFile("file", "vars.jsonl")
	for _, l := range lines {
		b, _ := json.Marshal(l)
		fw.Write(append(b, '\n'))
	}
	mw.Close()
	resp, err := http.Post(target["url"].(string), mw.FormDataContentType(), &form)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %v %v", err, resp)
	}
	resp.Body.Close()
	return key
}

// readJSONL downloads a bulk result file.
func readJSONL(t *testing.T, url string) (int, []map[string]any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, nil
	}
	var lines []map[string]any
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("result line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return res.StatusCode, lines
}

// A bulk mutation that Shopify fails part-way (here the injected
// BulkMutationFailAfterLines) ends FAILED with INTERNAL_SERVER_ERROR and no
// url; partialDataUrl serves the results of the lines that ran, whose
// effects stay, and the bulk_operations/finish webhook says failed.
func TestBulkMutationFailsPartWayWithPartialData(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 5, VariantsPerProduct: 1, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	rc := newReceiver(t, nil)
	if err := e.sim.Subscribe(testShop, "bulk_operations/finish", rc.srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetFaults(testShop, Faults{BulkMutationFailAfterLines: 3}); err != nil {
		t.Fatal(err)
	}
	cat, _ := e.sim.Catalog(testShop)
	var vars []map[string]any
	for i, p := range cat {
		vars = append(vars, map[string]any{"m": []any{map[string]any{"ownerId": p.ID, "namespace": "bulk", "key": "count", "type": "number_integer", "value": strconv.Itoa(i)}}})
	}
	path := stageBulkVariables(t, e, vars)
	r := e.gql(t, `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id } userErrors { code } } }`,
		map[string]any{"m": `mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { value } userErrors { code } } }`, "path": path})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunMutation", "bulkOperation", "id")

	var op any
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p := e.gql(t, `query($id: ID!) { bulkOperation(id: $id) { status errorCode objectCount url partialDataUrl } }`, map[string]any{"id": id})
		mustNoErrors(t, p)
		if op = dig(p.Data, "bulkOperation"); dig(op, "status") != "CREATED" && dig(op, "status") != "RUNNING" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running: %s", p.Raw)
		}
	}
	if dig(op, "status") != "FAILED" || dig(op, "errorCode") != "INTERNAL_SERVER_ERROR" || dig(op, "url") != nil || dig(op, "objectCount") != "3" {
		t.Fatalf("operation %v, want FAILED, INTERNAL_SERVER_ERROR, no url, 3 objects", op)
	}
	partial, _ := dig(op, "partialDataUrl").(string)
	if partial == "" {
		t.Fatalf("no partialDataUrl: %v", op)
	}
	code, lines := readJSONL(t, partial)
	if code != http.StatusOK || len(lines) != 3 {
		t.Fatalf("partial data: status %d, %d lines %v; want the 3 lines that ran", code, len(lines), lines)
	}
	for i, l := range lines {
		if l["__lineNumber"] != float64(i) || dig(l, "data", "metafieldsSet", "metafields", 0, "value") != strconv.Itoa(i) {
			t.Errorf("partial line %d: %v", i, l)
		}
	}
	// The lines that ran took effect; the others never ran.
	mfs, _ := e.sim.ProductMetafields(testShop, "bulk")
	for i, p := range cat {
		if got := len(mfs[p.ID]); got != map[bool]int{true: 1, false: 0}[i < 3] {
			t.Errorf("product %d has %d bulk metafields", i, got)
		}
	}
	var hook map[string]any
	body := rc.wait(t, 1)[0].body
	json.Unmarshal(body, &hook)
	if inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	} else if err := schemaFor(t, "bulk_operations/finish").Validate(inst); err != nil {
		t.Errorf("failed bulk_operations/finish does not match the schema: %v", err)
	}
	if hook["status"] != "failed" || hook["error_code"] != "INTERNAL_SERVER_ERROR" || hook["admin_graphql_api_id"] != id {
		t.Errorf("bulk_operations/finish %v", hook)
	}

	// A file no longer than the limit completes, with no partialDataUrl.
	path = stageBulkVariables(t, e, vars[:3])
	r = e.gql(t, `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id } userErrors { code } } }`,
		map[string]any{"m": `mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { value } userErrors { code } } }`, "path": path})
	mustNoErrors(t, r)
	id = dig(r.Data, "bulkOperationRunMutation", "bulkOperation", "id")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p := e.gql(t, `query($id: ID!) { bulkOperation(id: $id) { status url partialDataUrl } }`, map[string]any{"id": id})
		mustNoErrors(t, p)
		if op = dig(p.Data, "bulkOperation"); dig(op, "status") == "COMPLETED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not completed: %s", p.Raw)
		}
	}
	if dig(op, "partialDataUrl") != nil || dig(op, "url") == nil {
		t.Errorf("completed operation %v, want url and no partialDataUrl", op)
	}
}

// Partial data expires with the retention of results, and the operation
// stays FAILED.
func TestBulkMutationPartialDataExpires(t *testing.T) {
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 2, VariantsPerProduct: 1, Locations: 1}); err != nil {
		t.Fatal(err)
	}
	e.sim.SetFaults(testShop, Faults{BulkMutationFailAfterLines: 1})
	cat, _ := e.sim.Catalog(testShop)
	var vars []map[string]any
	for _, p := range cat {
		vars = append(vars, map[string]any{"m": []any{map[string]any{"ownerId": p.ID, "namespace": "bulk", "key": "count", "type": "number_integer", "value": "1"}}})
	}
	r := e.gql(t, `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id } } }`,
		map[string]any{"m": `mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { code } } }`, "path": stageBulkVariables(t, e, vars)})
	mustNoErrors(t, r)
	id := dig(r.Data, "bulkOperationRunMutation", "bulkOperation", "id")
	const poll = `query($id: ID!) { bulkOperation(id: $id) { status partialDataUrl } }`
	var partial string
	for deadline := time.Now().Add(5 * time.Second); partial == ""; time.Sleep(10 * time.Millisecond) {
		p := e.gql(t, poll, map[string]any{"id": id})
		partial, _ = dig(p.Data, "bulkOperation", "partialDataUrl").(string)
		if time.Now().After(deadline) {
			t.Fatalf("no partial data: %s", p.Raw)
		}
	}
	e.clock.advance(defaultBulkRetention)
	p := e.gql(t, poll, map[string]any{"id": id})
	mustNoErrors(t, p)
	if dig(p.Data, "bulkOperation", "status") != "FAILED" || dig(p.Data, "bulkOperation", "partialDataUrl") != nil {
		t.Errorf("after retention: %s", p.Raw)
	}
	if code, _ := readJSONL(t, partial); code != http.StatusNotFound {
		t.Errorf("expired partial data answered %d, want 404", code)
	}
}

// The fault is set through the admin API as well; a negative count is
// refused.
func TestBulkMutationFaultThroughAdminAPI(t *testing.T) {
	e := newEnv(t, nil)
	base := "/sim/shops/" + testShop + "/faults"
	if code, out := adminCall(t, e, "PUT", base, `{"bulkMutationFailAfterLines":-1}`); code != http.StatusUnprocessableEntity {
		t.Errorf("negative count: %d %v, want 422 as for a bad rate", code, out)
	}
	if code, out := adminCall(t, e, "PUT", base, `{"bulkMutationFailAfterLines":7}`); code != http.StatusOK {
		t.Fatalf("set: %d %v", code, out)
	}
	if f, _ := e.sim.Faults(testShop); f.BulkMutationFailAfterLines != 7 {
		t.Errorf("faults %+v, want BulkMutationFailAfterLines 7", f)
	}
	if _, out := adminCall(t, e, "GET", base, ""); out["bulkMutationFailAfterLines"] != float64(7) {
		t.Errorf("GET faults %v", out)
	}
}
