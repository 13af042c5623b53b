package shopifysim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Bulk mutations as Shopify runs them: stagedUploadsCreate hands out an
// upload target, the app POSTs a JSONL file of variables to it (here
// /sim/staged-uploads/{shop}, a multipart form like Shopify's storage
// bucket takes), and bulkOperationRunMutation(mutation:, stagedUploadPath:)
// runs the mutation once per line in the background, one bulk mutation at
// a time per shop. The result file has one line per input line:
// {"data": …, "__lineNumber": n}, with errors where the line failed.

// maxStagedUploadBytes bounds one staged file (Shopify allows 20 MB of
// bulk mutation variables).
const maxStagedUploadBytes = 20 << 20

// maxStagedUploads bounds the staged files a shop keeps; the oldest goes
// first.
const maxStagedUploads = 20

func init() {
	register("Mutation", map[string]resolver{
		"stagedUploadsCreate":      stagedUploadsCreate,
		"bulkOperationRunMutation": bulkOperationRunMutation,
	})
}

func stagedUploadsCreate(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	inputs := gql.ArgObjects(args, "input")
	targets := make([]any, 0, len(inputs))
	errs := []*gql.Object{}
	for i, in := range inputs {
		if gql.ArgString(in, "resource") != "BULK_MUTATION_VARIABLES" {
			// Media and files: staged_uploads_media.go.
			t, e := stagedMediaTarget(ec, i, in)
			targets, errs = append(targets, t), append(errs, e...)
			continue
		}
		key := fmt.Sprintf("tmp/%d/bulk/%d/%s", hashString(ec.sh.cfg.Domain)>>40, ec.sh.id(), gql.ArgString(in, "filename"))
		param := func(name, value string) *gql.Object {
			return gql.Obj("StagedUploadParameter", map[string]any{"name": name, "value": value})
		}
		targets = append(targets, gql.Obj("StagedMediaUploadTarget", map[string]any{
			"url":         ec.baseURL + "/sim/staged-uploads/" + ec.sh.cfg.Domain,
			"resourceUrl": nil,
			"parameters": []any{param("key", key), param("Content-Type", gql.ArgString(in, "mimeType")),
				param("success_action_status", "201"), param("acl", "private")},
		}))
	}
	return gql.Obj("", map[string]any{"stagedTargets": targets, "userErrors": errs}), nil
}

// serveStagedUpload is POST /sim/staged-uploads/{shop}: a multipart form
// whose "key" names the file and whose "file" part holds it.
func (s *Simulator) serveStagedUpload(w http.ResponseWriter, r *http.Request) {
	sh, err := s.shop(r.PathValue("shop"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxStagedUploadBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		http.Error(w, "a multipart form with key and file, at most 20 MB", http.StatusBadRequest)
		return
	}
	defer r.MultipartForm.RemoveAll()
	key := r.FormValue("key")
	f, _, err := r.FormFile("file")
	if key == "" || err != nil {
		http.Error(w, "a multipart form with key and file", http.StatusBadRequest)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStagedUploadBytes+1))
	if err != nil || len(data) > maxStagedUploadBytes {
		http.Error(w, "the file is over 20 MB", http.StatusRequestEntityTooLarge)
		return
	}
	sh.mu.Lock()
	if sh.staged == nil {
		sh.staged = map[string][]byte{}
	}
	if len(sh.staged) >= maxStagedUploads {
		for k := range sh.staged { // any one: staged files are used once, soon
			delete(sh.staged, k)
			break
		}
	}
	sh.staged[key] = data
	sh.mu.Unlock()
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, "<PostResponse><Key>%s</Key></PostResponse>", key)
}

func bulkOperationRunMutation(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	fail := func(code, msg string, fld ...any) (any, error) {
		return mutationPayload("bulkOperation", nil, userErr("BulkMutationUserError", fld, code, msg)), nil
	}
	doc, errs := adminEngine().Load(gql.ArgString(args, "mutation"))
	if len(errs) > 0 {
		return fail("INVALID_MUTATION", "Invalid mutation: "+errs[0].Message, "mutation")
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Mutation || len(doc.Operations[0].SelectionSet) != 1 {
		return fail("INVALID_MUTATION", "The bulk mutation must be one mutation operation with one mutation field.", "mutation")
	}
	path := gql.ArgString(args, "stagedUploadPath")
	data, ok := ec.sh.staged[path]
	if !ok {
		return fail("NO_SUCH_FILE", "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.", "stagedUploadPath")
	}
	for _, b := range ec.sh.bulkOps {
		if b.Type == "MUTATION" && b.active() {
			return fail("OPERATION_IN_PROGRESS", "A bulk mutation operation for this app and shop is already in progress: "+gql.GID("BulkOperation", b.ID)+".")
		}
	}
	delete(ec.sh.staged, path)
	b := &bulkOperation{ID: ec.sh.id(), Query: gql.ArgString(args, "mutation"), Type: "MUTATION", Status: "CREATED",
		CreatedAt: ec.sh.now(), cancel: make(chan struct{})}
	b.URL = fmt.Sprintf("%s/sim/bulk/%s/%d.jsonl", ec.baseURL, ec.sh.cfg.Domain, b.ID)
	ec.sh.rememberBulk(b)
	ec.sh.stats.add(func(s *Stats) { s.BulkOperations++ })
	ec.applied = true
	sim := ec.sh.sim
	sim.hooks.wg.Add(1)
	go func() {
		defer sim.hooks.wg.Done()
		ec.sh.runBulkMutation(b, gql.ArgString(args, "mutation"), doc.Operations[0].Name, data, ec.version, ec.baseURL)
	}()
	return mutationPayload("bulkOperation", b), nil
}

// runBulkMutation runs the mutation once per JSONL line, each under the
// shop's write lock like any mutation, and keeps the responses as the
// operation's result.
func (sh *shop) runBulkMutation(b *bulkOperation, mutation, opName string, input []byte, version, baseURL string) {
	sim := sh.sim
	start := time.Now()
	sh.mu.Lock()
	if b.Status == "CREATED" {
		b.Status = "RUNNING"
	}
	sh.mu.Unlock()
	sh.fmu.Lock()
	failAfter := int64(sh.faults.BulkMutationFailAfterLines)
	sh.fmu.Unlock()
	var out bytes.Buffer
	var lines, failed int64
	partial := false // stopped part-way by the injected fault
	sc := bufio.NewScanner(bytes.NewReader(input))
	sc.Buffer(make([]byte, 0, 64<<10), maxStagedUploadBytes)
	canceled := false
	for n := 0; sc.Scan(); n++ {
		select {
		case <-b.cancel:
			canceled = true
		default:
		}
		if canceled {
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if failAfter > 0 && lines >= failAfter {
			partial = true
			break
		}
		var vars map[string]any
		var body []byte
		if err := json.Unmarshal([]byte(line), &vars); err != nil {
			body = gql.RenderRefused([]gql.Error{{Message: "Invalid JSON on this line of the staged file"}}, nil)
		} else {
			body = sh.runBulkLine(gql.Request{Query: mutation, OperationName: opName, Variables: vars}, version, baseURL)
		}
		var resp map[string]any
		json.Unmarshal(body, &resp)
		delete(resp, "extensions") // bulk lines carry no cost
		if resp["errors"] != nil {
			failed++
		}
		resp["__lineNumber"] = n
		enc, _ := json.Marshal(resp)
		out.Write(enc)
		out.WriteByte('\n')
		lines++
	}
	run := sim.bulkRunTime(lines)
	if !canceled && !sim.holdBulk(b, run-time.Since(start)) {
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.now()
	b.CompletedAt = &now
	select {
	case <-b.cancel:
		b.Status = "CANCELED"
	default:
		if partial {
			// The results so far stay downloadable, at partialDataUrl.
			b.Status, b.ErrorCode, b.data, b.Objects, b.Roots = "FAILED", "INTERNAL_SERVER_ERROR", out.Bytes(), lines, lines
			sim.log.Warn("bulk mutation failed part-way (injected)", "shop", sh.cfg.Domain, "id", b.ID, "lines", lines)
		} else {
			b.Status, b.data, b.Objects, b.Roots, b.FileSize = "COMPLETED", out.Bytes(), lines, lines, int64(out.Len())
		}
	}
	sim.log.Debug("bulk mutation finished", "shop", sh.cfg.Domain, "id", b.ID, "lines", lines, "failedLines", failed)
	sh.emit("bulk_operations/finish", map[string]any{
		"admin_graphql_api_id": gql.GID("BulkOperation", b.ID), "completed_at": restTime(now),
		"created_at": restTime(b.CreatedAt), "error_code": nilIfEmpty(b.ErrorCode),
		"status": strings.ToLower(b.Status), "type": "mutation",
	})
}

// runBulkLine executes the bulk mutation with one line's variables.
func (sh *shop) runBulkLine(req gql.Request, version, baseURL string) []byte {
	x, errs := adminEngine().Prepare(req)
	if len(errs) > 0 {
		return gql.RenderRefused(errs, nil)
	}
	ec := &execCtx{Exec: x, sh: sh, version: version, baseURL: baseURL}
	data, _ := ec.run()
	return gql.Render(data, ec.Errors, nil)
}
