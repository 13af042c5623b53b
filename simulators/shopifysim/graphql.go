package shopifysim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"
)

// Limits of one Admin API request.
const (
	maxQueryCost    = 1000
	maxRequestBytes = 2 << 20
)

var apiVersionRE = regexp.MustCompile(`^(\d{4}-(01|04|07|10)|unstable)$`)

// graphQLRequest is the JSON body of a GraphQL request.
type graphQLRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// costExtension is extensions.cost of every GraphQL response.
type costExtension struct {
	RequestedQueryCost float64        `json:"requestedQueryCost"`
	ActualQueryCost    *float64       `json:"actualQueryCost"`
	ThrottleStatus     throttleStatus `json:"throttleStatus"`
}

// serveGraphQL is POST /admin/api/{version}/graphql.json.
func (s *Simulator) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	version := r.PathValue("version")
	if !apiVersionRE.MatchString(version) {
		writeRaw(w, http.StatusNotFound, `{"errors":"Not Found"}`)
		return
	}
	sh := s.authenticate(r.Host, r.Header.Get("X-Shopify-Access-Token"))
	if sh == nil {
		writeRaw(w, http.StatusUnauthorized, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`)
		return
	}
	sh.stats.add(func(st *Stats) { st.Requests++ })
	w.Header().Set("X-Shopify-API-Version", version)
	if !s.injectFaults(w, r, sh) {
		return
	}
	req, err := readGraphQLRequest(w, r)
	if err != nil {
		writeGraphQLErrors(w, http.StatusBadRequest, []gqlErr{{Message: err.Error()}}, nil)
		return
	}
	base := s.cfg.BaseURL
	if base == "" {
		base = "http://" + r.Host
	}
	body := s.execute(sh, version, base, req)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// injectFaults applies latency, 5xx and 429 faults; it reports whether the
// request should go on.
func (s *Simulator) injectFaults(w http.ResponseWriter, r *http.Request, sh *shop) bool {
	hit, f := sh.roll(func(f Faults) float64 { return f.ServerErrorRate })
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
	if hit {
		sh.stats.add(func(st *Stats) { st.InjectedServerErrors++ })
		code := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[sh.randN(3)]
		writeRaw(w, code, fmt.Sprintf(`{"errors":%q}`, http.StatusText(code)))
		return false
	}
	if hit, f := sh.roll(func(f Faults) float64 { return f.RateLimitRate }); hit {
		sh.stats.add(func(st *Stats) { st.InjectedRateLimits++ })
		ra := f.RetryAfter
		if ra <= 0 {
			ra = 2 * time.Second
		}
		w.Header().Set("Retry-After", retryAfterSeconds(ra))
		writeRaw(w, http.StatusTooManyRequests, `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`)
		return false
	}
	return true
}

func readGraphQLRequest(w http.ResponseWriter, r *http.Request) (graphQLRequest, error) {
	var req graphQLRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		return req, fmt.Errorf("request body too large or unreadable")
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/graphql" {
		req.Query = string(body)
		return req, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		return req, fmt.Errorf("Invalid JSON in request body")
	}
	if req.Query == "" {
		return req, fmt.Errorf("No query string was present")
	}
	return req, nil
}

// execute runs one GraphQL request for sh and renders the response body.
func (s *Simulator) execute(sh *shop, version, baseURL string, req graphQLRequest) []byte {
	doc, errs := queries.load(req.Query)
	if len(errs) > 0 {
		return renderResponse(nil, errs, sh.costOnly(0))
	}
	op, err := selectOperation(doc, req.OperationName)
	if err != nil {
		return renderResponse(nil, []gqlErr{{Message: err.Error()}}, sh.costOnly(0))
	}
	vars, verr := validator.VariableValues(adminSchema(), op, req.Variables)
	if verr != nil {
		return renderResponse(nil, []gqlErr{variableError(verr)}, sh.costOnly(0))
	}
	ec := &execCtx{sh: sh, doc: doc, op: op, vars: vars, version: version, baseURL: baseURL}
	requested, cerrs := ec.requestedCost()
	if len(cerrs) > 0 {
		return renderResponse(nil, cerrs, sh.costOnly(requested))
	}
	now := s.clock()
	if requested > maxQueryCost {
		sh.stats.add(func(st *Stats) { st.MaxCostExceeded++ })
		return renderResponse(nil, []gqlErr{{
			Message: fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (%d).\n\n"+
				"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"+
				"cost of a query is calculated.\n\n"+
				"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
				"See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
				int(requested), maxQueryCost),
			Extensions: map[string]any{"code": "MAX_COST_EXCEEDED", "cost": int(requested), "maxCost": maxQueryCost},
		}}, &costExtension{RequestedQueryCost: requested, ThrottleStatus: sh.bucket.peek(now)})
	}
	ok, status := sh.bucket.take(requested, now)
	if !ok {
		sh.stats.add(func(st *Stats) { st.Throttled++ })
		return renderResponse(nil, []gqlErr{{
			Message:    "Throttled",
			Extensions: map[string]any{"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"},
		}}, &costExtension{RequestedQueryCost: requested, ThrottleStatus: status})
	}

	sh.expireBulk()
	data, actual := ec.run()
	actual = min(actual, requested)
	status = sh.bucket.refund(requested-actual, s.clock())
	sh.stats.add(func(st *Stats) { st.PointsSpent += actual })
	if data == nil {
		data = nullData
	}
	s.log.Debug("graphql request", "shop", sh.cfg.Domain, "version", version, "operation", op.Name,
		"type", string(op.Operation), "requestedCost", requested, "actualCost", actual, "errors", len(ec.errs))
	return renderResponse(data, ec.errs, &costExtension{RequestedQueryCost: requested, ActualQueryCost: &actual, ThrottleStatus: status})
}

// nullData marks a response whose data became null through a non-null
// field error: it renders as "data":null rather than being left out.
var nullData = &omap{}

// run executes the operation under the shop's lock (exclusive for
// mutations) and turns a resolver panic into an INTERNAL_SERVER_ERROR
// instead of a dropped connection and a lock never released.
func (ec *execCtx) run() (data *omap, actual float64) {
	sh := ec.sh
	if ec.op.Operation == ast.Mutation {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		sh.stats.add(func(st *Stats) { st.Mutations++ })
	} else {
		sh.mu.RLock()
		defer sh.mu.RUnlock()
	}
	return ec.executeSafely()
}

// executeSafely is execute with a resolver panic turned into an
// INTERNAL_SERVER_ERROR in ec.errs and nil data. Both the request path and
// bulk operations use it, so a bug in one resolver never takes the process
// down. Callers hold the shop's lock; it is released by them, not here.
func (ec *execCtx) executeSafely() (data *omap, actual float64) {
	defer func() {
		if p := recover(); p != nil {
			ec.sh.sim.log.Error("executor panic", "shop", ec.sh.cfg.Domain, "bulk", ec.bulk, "panic", fmt.Sprint(p))
			ec.errs = append(ec.errs, gqlErr{Message: "Internal error. Looks like something went wrong on our end.",
				Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}})
			data, actual = nil, 0
		}
	}()
	return ec.execute()
}

// costOnly is the cost extension of a request refused before execution.
func (sh *shop) costOnly(requested float64) *costExtension {
	zero := 0.0
	return &costExtension{RequestedQueryCost: requested, ActualQueryCost: &zero, ThrottleStatus: sh.bucket.peek(sh.sim.clock())}
}

func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, error) {
	if name == "" {
		if len(doc.Operations) != 1 {
			return nil, errors.New("An operation name is required")
		}
		return doc.Operations[0], nil
	}
	op := doc.Operations.ForName(name)
	if op == nil {
		return nil, fmt.Errorf("No operation named %q", name)
	}
	return op, nil
}

// variableError reports a variable that does not fit its type as Shopify
// does.
func variableError(err error) gqlErr {
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		return gqlErr{Message: ge.Message, Locations: ge.Locations,
			Extensions: map[string]any{"code": "INVALID_VARIABLE", "problems": []any{map[string]any{"path": ge.Path, "explanation": ge.Message}}}}
	}
	return gqlErr{Message: err.Error(), Extensions: map[string]any{"code": "INVALID_VARIABLE"}}
}

// renderResponse renders {"errors","data","extensions"}; data is omitted
// when nil, as Shopify does for requests refused before execution.
func renderResponse(data *omap, errs []gqlErr, cost *costExtension) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	sep := false
	if len(errs) > 0 {
		b, _ := json.Marshal(errs)
		buf.WriteString(`"errors":`)
		buf.Write(b)
		sep = true
	}
	if data != nil {
		if sep {
			buf.WriteByte(',')
		}
		buf.WriteString(`"data":`)
		if data == nullData {
			buf.WriteString("null")
		} else {
			writeJSON(&buf, data)
		}
		sep = true
	}
	if cost != nil {
		if sep {
			buf.WriteByte(',')
		}
		b, _ := json.Marshal(map[string]any{"cost": cost})
		buf.WriteString(`"extensions":`)
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

func writeGraphQLErrors(w http.ResponseWriter, code int, errs []gqlErr, cost *costExtension) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(renderResponse(nil, errs, cost))
}

func writeRaw(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	io.WriteString(w, body)
}
