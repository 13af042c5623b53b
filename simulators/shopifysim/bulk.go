package shopifysim

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// Bulk query limits of API 2026-10: five operations may run at once per
// shop and app; a query has at most five connections nested at most two
// deep.
const (
	maxConcurrentBulk = 5
	maxBulkConns      = 5
	maxBulkDepth      = 2
)

// defaultBulkRetention is how long a completed bulk operation's result stays
// downloadable when Config.BulkOperationRetention is zero: Shopify's result
// URLs are valid for seven days.
const defaultBulkRetention = 7 * 24 * time.Hour

// maxBulkHistory bounds how many bulk operations a shop remembers, so a
// long-running simulator does not grow without limit; the oldest finished
// ones are forgotten first. Running ones are never dropped (there are at
// most maxConcurrentBulk of them).
const maxBulkHistory = 100

type bulkOperation struct {
	ID          int64
	Query       string
	Type        string // QUERY (also "") or MUTATION
	Status      string // CREATED, RUNNING, COMPLETED, FAILED, CANCELING, CANCELED, EXPIRED
	ErrorCode   string
	CreatedAt   time.Time
	CompletedAt *time.Time
	Objects     int64
	Roots       int64
	FileSize    int64
	URL         string
	group       bool
	data        []byte
	cancel      chan struct{}
	// While RUNNING at a configured rate, objectCount grows from runStart
	// at rate objects per second up to total, as a poll on Shopify sees.
	total    int64
	runStart time.Time
	rate     float64
}

// holdBulk keeps a bulk operation running for wait, its realistic run
// time, unless it is canceled first; false if the simulator closed.
func (sim *Simulator) holdBulk(b *bulkOperation, wait time.Duration) bool {
	if wait <= 0 {
		return true
	}
	select {
	case <-sim.ctx.Done():
		return false
	case <-b.cancel:
	case <-time.After(wait):
	}
	return true
}

// objectCount is what objectCount reads: the final count once finished,
// the objects written so far while running.
func (b *bulkOperation) objectCount() int64 {
	if b.Status != "RUNNING" || b.rate <= 0 || b.runStart.IsZero() {
		return b.Objects
	}
	return min(b.total, int64(time.Since(b.runStart).Seconds()*b.rate))
}

// active reports whether b still occupies one of the shop's concurrent bulk
// operation slots; a CANCELING operation does until runBulk notices.
func (b *bulkOperation) active() bool {
	return b.Status == "CREATED" || b.Status == "RUNNING" || b.Status == "CANCELING"
}

// bulkRetention is how long a completed operation keeps its result.
func (s *Simulator) bulkRetention() time.Duration {
	if s.cfg.BulkOperationRetention > 0 {
		return s.cfg.BulkOperationRetention
	}
	return defaultBulkRetention
}

// expiresBy reports whether b is a completed operation, or a failed one
// with partial data, whose result is past retention at now.
func (b *bulkOperation) expiresBy(now time.Time, retention time.Duration) bool {
	kept := b.Status == "COMPLETED" || b.Status == "FAILED" && b.data != nil
	return kept && b.CompletedAt != nil && now.Sub(*b.CompletedAt) >= retention
}

// expireBulk turns completed operations past retention into EXPIRED ones
// and drops their results. It is called before every request that can see
// bulk operations, so reads (which hold mu only for reading) never observe
// a stale COMPLETED; the check takes the read lock, and the write lock only
// when something is due.
func (sh *shop) expireBulk() {
	now, retention := sh.sim.clock(), sh.sim.bulkRetention()
	due := func() bool {
		for _, b := range sh.bulkOps {
			if b.expiresBy(now, retention) {
				return true
			}
		}
		return false
	}
	sh.mu.RLock()
	d := due()
	sh.mu.RUnlock()
	if !d {
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, b := range sh.bulkOps {
		if b.expiresBy(now, retention) {
			if b.Status == "COMPLETED" { // a failed one stays FAILED, without its partial data
				b.Status = "EXPIRED"
			}
			b.data = nil
		}
	}
}

// rememberBulk appends b to the shop's operations and forgets the oldest
// finished ones beyond maxBulkHistory. Callers hold mu for writing.
func (sh *shop) rememberBulk(b *bulkOperation) {
	sh.bulkOps = append(sh.bulkOps, b)
	excess := len(sh.bulkOps) - maxBulkHistory
	if excess <= 0 {
		return
	}
	kept := sh.bulkOps[:0]
	for _, o := range sh.bulkOps {
		if excess > 0 && !o.active() {
			excess--
			continue
		}
		kept = append(kept, o)
	}
	clear(sh.bulkOps[len(kept):]) // let the forgotten operations be collected
	sh.bulkOps = kept
}

// bulkByID finds a bulk operation. Callers hold mu.
func (sh *shop) bulkByID(id int64) *bulkOperation {
	for _, b := range sh.bulkOps {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// countConnections returns how many connection fields sel holds and how
// deeply they nest.
func countConnections(doc *ast.QueryDocument, sel ast.SelectionSet) (count, depth int) {
	for _, s := range sel {
		var sub ast.SelectionSet
		isConn := false
		switch s := s.(type) {
		case *ast.Field:
			sub = s.SelectionSet
			if s.Definition != nil {
				isConn = adminEngine().IsConnection(s.Definition.Type.Name())
			}
		case *ast.InlineFragment:
			sub = s.SelectionSet
		case *ast.FragmentSpread:
			if d := doc.Fragments.ForName(s.Name); d != nil {
				sub = d.SelectionSet
			}
		}
		c, d := countConnections(doc, sub)
		if isConn {
			c++
			d++
		}
		count += c
		depth = max(depth, d)
	}
	return count, depth
}

func init() {
	register("Mutation", map[string]resolver{
		"bulkOperationRunQuery": bulkOperationRunQuery,
		"bulkOperationCancel": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			id, _ := gql.ParseID(gql.ArgString(args, "id"), "BulkOperation")
			b := ec.sh.bulkByID(id)
			if b == nil {
				return mutationPayload("bulkOperation", nil, userErr("UserError", []any{"id"}, "", "Bulk operation does not exist")), nil
			}
			if b.Status == "CANCELING" {
				// Already asked to stop: cancel channel is closed, and
				// closing it again would panic. Canceling twice is not an
				// error, so answer as the first cancel did.
				return mutationPayload("bulkOperation", b), nil
			}
			if !b.active() {
				return mutationPayload("bulkOperation", b, userErr("UserError", nil, "",
					"A bulk operation cannot be canceled when it is "+b.Status)), nil
			}
			b.Status = "CANCELING"
			close(b.cancel)
			ec.applied = true
			return mutationPayload("bulkOperation", b), nil
		},
	})
	register("QueryRoot", map[string]resolver{
		"bulkOperation": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			s := gql.ArgString(args, "id")
			id, ok := gql.ParseID(s, "BulkOperation")
			if !ok {
				// Another resource's id is not a missing operation but a
				// wrong one: Shopify answers RESOURCE_NOT_FOUND.
				return nil, gql.Errorf("RESOURCE_NOT_FOUND", "Invalid id: %s", s)
			}
			return ec.sh.bulkByID(id), nil
		},
		"currentBulkOperation": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			want := gql.ArgString(args, "type")
			for i := len(ec.sh.bulkOps) - 1; i >= 0; i-- {
				b := ec.sh.bulkOps[i]
				if (b.Type == "MUTATION") == (want == "MUTATION") {
					return b, nil
				}
			}
			return nil, nil
		},
		"bulkOperations": func(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
			q := gql.ParseSearch(gql.ArgString(args, "query"))
			if err := checkBulkOperationsQuery(q); err != nil {
				return nil, err
			}
			var out []*bulkOperation
			for _, b := range ec.sh.bulkOps {
				m := func(t gql.SearchTerm) (bool, bool) {
					switch t.Field {
					case "status":
						return gql.MatchText(t, b.Status), true
					case "operation_type":
						typ := b.Type
						if typ == "" {
							typ = "QUERY"
						}
						return gql.MatchText(t, typ), true
					case "created_at":
						return gql.CompareTime(t, b.CreatedAt), true
					case "id":
						return gql.CompareInt(t, b.ID), true
					}
					return false, false
				}
				if q.Matches(m) {
					out = append(out, b)
				}
			}
			key := func(b *bulkOperation) gql.SortKey { return gql.SortKey{Value: b.CreatedAt.UnixNano(), ID: b.ID} }
			return gql.Paginate(ec.Exec, out, key, args)
		},
	})
	register("BulkOperation", map[string]resolver{
		"id":              field(func(b *bulkOperation) any { return gql.GID("BulkOperation", b.ID) }),
		"status":          field(func(b *bulkOperation) any { return b.Status }),
		"errorCode":       field(func(b *bulkOperation) any { return nilIfEmpty(b.ErrorCode) }),
		"createdAt":       field(func(b *bulkOperation) any { return b.CreatedAt }),
		"completedAt":     field(func(b *bulkOperation) any { return b.CompletedAt }),
		"objectCount":     field(func(b *bulkOperation) any { return b.objectCount() }),
		"rootObjectCount": field(func(b *bulkOperation) any { return b.Roots }),
		"query":           field(func(b *bulkOperation) any { return b.Query }),
		"type": field(func(b *bulkOperation) any {
			if b.Type == "" {
				return "QUERY"
			}
			return b.Type
		}),
		"partialDataUrl": field(func(b *bulkOperation) any {
			if b.Status != "FAILED" || b.data == nil {
				return nil
			}
			return b.URL // a failed bulk mutation's results so far, served like url
		}),
		"fileSize": field(func(b *bulkOperation) any {
			if b.Status != "COMPLETED" || b.Objects == 0 {
				return nil
			}
			return b.FileSize
		}),
		"url": field(func(b *bulkOperation) any {
			if b.Status != "COMPLETED" || b.Objects == 0 {
				return nil
			}
			return b.URL
		}),
	})
}

func bulkOperationRunQuery(ec *execCtx, _ any, _ *ast.Field, args map[string]any) (any, error) {
	fail := func(code, msg string, fld ...any) (any, error) {
		return mutationPayload("bulkOperation", nil, userErr("BulkOperationUserError", fld, code, msg)), nil
	}
	query := gql.ArgString(args, "query")
	doc, errs := adminEngine().Load(query)
	if len(errs) > 0 {
		return fail("INVALID", "Invalid bulk query: "+errs[0].Message, "query")
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		return fail("INVALID", "Bulk queries must contain exactly one query operation.", "query")
	}
	op := doc.Operations[0]
	if len(op.VariableDefinitions) > 0 {
		return fail("INVALID", "Bulk queries cannot contain variables.", "query")
	}
	n, depth := countConnections(doc, op.SelectionSet)
	switch {
	case n == 0:
		return fail("INVALID", "Bulk queries must contain at least one connection.", "query")
	case n > maxBulkConns:
		return fail("INVALID", fmt.Sprintf("Bulk queries cannot contain more than %d connections.", maxBulkConns), "query")
	case depth > maxBulkDepth:
		return fail("INVALID", fmt.Sprintf("Bulk queries cannot contain connections with a nesting depth greater than %d.", maxBulkDepth), "query")
	}
	if msg := bulkQueryProblem(doc, op); msg != "" {
		return fail("INVALID", msg, "query")
	}
	running := 0
	for _, b := range ec.sh.bulkOps {
		if b.active() && b.Type != "MUTATION" {
			running++
		}
	}
	if running >= maxConcurrentBulk {
		return fail("OPERATION_IN_PROGRESS", fmt.Sprintf(
			"A shop can only run %d bulk query operations at a time; wait for one to finish or cancel it.", maxConcurrentBulk))
	}
	b := &bulkOperation{ID: ec.sh.id(), Query: query, Status: "CREATED", CreatedAt: ec.sh.now(),
		group: gql.ArgBool(args, "groupObjects"), cancel: make(chan struct{})}
	b.URL = fmt.Sprintf("%s/sim/bulk/%s/%d.jsonl", ec.baseURL, ec.sh.cfg.Domain, b.ID)
	ec.sh.rememberBulk(b)
	ec.sh.stats.add(func(s *Stats) { s.BulkOperations++ })
	ec.applied = true
	sim := ec.sh.sim
	sim.hooks.wg.Add(1)
	go func() {
		defer sim.hooks.wg.Done()
		ec.sh.runBulk(b, doc)
	}()
	return mutationPayload("bulkOperation", b), nil
}

// runBulk executes a bulk query in the background: CREATED → RUNNING →
// COMPLETED (or FAILED, or CANCELED after bulkOperationCancel).
func (sh *shop) runBulk(b *bulkOperation, doc *ast.QueryDocument) {
	sim := sh.sim
	start := time.Now()
	sh.mu.Lock()
	if b.Status == "CREATED" {
		b.Status = "RUNNING"
	}
	sh.mu.Unlock()

	sh.mu.RLock()
	ec := &execCtx{Exec: adminEngine().NewExec(doc, doc.Operations[0], nil), sh: sh, version: webhookAPIVersion}
	ec.Unpaged = true
	// A resolver panic must fail this operation, not crash the process: no
	// request handler is up the stack to recover it.
	data, _ := ec.executeSafely()
	var out []byte
	var objects, roots int64
	if data != nil && len(ec.Errors) == 0 {
		out, objects, roots = bulkJSONL(data, b.group, sh.newRand(uint64(b.ID)))
	}
	sh.mu.RUnlock()

	run := sim.bulkRunTime(objects)
	if rate := sim.cfg.BulkObjectsPerSecond; rate > 0 {
		sh.mu.Lock()
		b.total, b.rate, b.runStart = objects, rate, start
		sh.mu.Unlock()
	}
	if !sim.holdBulk(b, run-time.Since(start)) {
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
		if data == nil || len(ec.Errors) > 0 {
			b.Status, b.ErrorCode = "FAILED", "INTERNAL_SERVER_ERROR"
			sim.log.Warn("bulk operation failed", "shop", sh.cfg.Domain, "id", b.ID, "errors", len(ec.Errors))
		} else {
			b.Status, b.data, b.Objects, b.Roots, b.FileSize = "COMPLETED", out, objects, roots, int64(len(out))
		}
	}
	sh.emit("bulk_operations/finish", map[string]any{
		"admin_graphql_api_id": gql.GID("BulkOperation", b.ID), "completed_at": restTime(now),
		"created_at": restTime(b.CreatedAt), "error_code": nilIfEmpty(b.ErrorCode),
		"status": strings.ToLower(b.Status), "type": "query",
	})
}

type bulkRow struct {
	data   *gql.Map
	parent string
}

// bulkRows flattens a result into JSONL rows: every node of a connection is
// a row, and nodes of nested connections carry their parent's id.
func bulkRows(m *gql.Map, parent string, rows *[]bulkRow) {
	for i := 0; i < m.Len(); {
		k, v := m.At(i)
		c, ok := v.(*gql.Map)
		if !ok {
			i++
			continue
		}
		if !c.IsConnection() {
			bulkRows(c, parent, rows)
			i++
			continue
		}
		m.Delete(k)
		for _, n := range connectionNodes(c) {
			*rows = append(*rows, bulkRow{data: n, parent: parent})
			bulkRows(n, n.ID(), rows)
		}
	}
}

func connectionNodes(c *gql.Map) []*gql.Map {
	var out []*gql.Map
	if edges, ok := c.Get("edges").([]any); ok {
		for _, e := range edges {
			if em, ok := e.(*gql.Map); ok {
				if n, ok := em.Get("node").(*gql.Map); ok {
					out = append(out, n)
				}
			}
		}
	}
	if nodes, ok := c.Get("nodes").([]any); ok {
		for _, n := range nodes {
			if nm, ok := n.(*gql.Map); ok {
				out = append(out, nm)
			}
		}
	}
	return out
}

// shuffler is the part of math/rand/v2's Rand bulkJSONL needs.
type shuffler interface {
	Shuffle(n int, swap func(i, j int))
	IntN(n int) int
}

// bulkJSONL renders rows as JSONL. Grouped output keeps every child right
// after its parent (groupObjects: true). Otherwise, as Shopify does by
// default since 2026-01, root rows keep their order while child rows are
// shuffled in among them, so a child may come before its parent or long
// after it.
func bulkJSONL(data *gql.Map, group bool, rng shuffler) ([]byte, int64, int64) {
	var rows []bulkRow
	bulkRows(data, "", &rows)
	if !group {
		var roots, children []bulkRow
		for _, r := range rows {
			if r.parent == "" {
				roots = append(roots, r)
			} else {
				children = append(children, r)
			}
		}
		rng.Shuffle(len(children), func(i, j int) { children[i], children[j] = children[j], children[i] })
		rows = rows[:0]
		for len(roots) > 0 || len(children) > 0 {
			if len(children) == 0 || (len(roots) > 0 && rng.IntN(len(roots)+len(children)) < len(roots)) {
				rows, roots = append(rows, roots[0]), roots[1:]
			} else {
				rows, children = append(rows, children[0]), children[1:]
			}
		}
	}
	var buf bytes.Buffer
	var nroots int64
	for _, r := range rows {
		if r.parent == "" {
			nroots++
		} else {
			r.data.Set("__parentId", r.parent)
		}
		gql.WriteJSON(&buf, r.data)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), int64(len(rows)), nroots
}

// serveBulkResult serves a completed bulk operation's JSONL file.
func (s *Simulator) serveBulkResult(w http.ResponseWriter, r *http.Request) {
	sh, err := s.shop(r.PathValue("shop"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	file := r.PathValue("file")
	idStr, ok := strings.CutSuffix(file, ".jsonl")
	id, err := strconv.ParseInt(idStr, 10, 64)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	sh.expireBulk()
	sh.mu.RLock()
	b := sh.bulkByID(id)
	var data []byte
	if b != nil && (b.Status == "COMPLETED" || b.Status == "FAILED") {
		data = b.data // a failed operation's partial data, if any
	}
	sh.mu.RUnlock()
	if data == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/jsonl")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// bulkRunTime is how long a bulk operation over objects runs: as long as
// writing them at BulkObjectsPerSecond, and at least BulkOperationDuration.
func (sim *Simulator) bulkRunTime(objects int64) time.Duration {
	run := sim.cfg.BulkOperationDuration
	if rate := sim.cfg.BulkObjectsPerSecond; rate > 0 {
		run = max(run, time.Duration(float64(objects)/rate*float64(time.Second)))
	}
	return run
}
