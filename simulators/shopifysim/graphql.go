package shopifysim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/shopflow/shopflow/internal/ctxsleep"
	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// maxQueryCost is Shopify's limit on the requested cost of one query.
const maxQueryCost = 1000

var apiVersionRE = regexp.MustCompile(`^(\d{4}-(01|04|07|10)|unstable)$`)

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
	req, err := gql.ReadRequest(w, r)
	if errors.Is(err, gql.ErrNoQuery) {
		writeRaw(w, http.StatusBadRequest, `{"errors":{"query":"Required parameter missing or invalid"}}`)
		return
	}
	if err != nil {
		writeGraphQLErrors(w, http.StatusBadRequest, []gql.Error{{Message: err.Error()}}, nil)
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
	if f.Latency > 0 && ctxsleep.Sleep(r.Context(), f.Latency) != nil {
		return false
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

// execute runs one GraphQL request for sh and renders the response body.
func (s *Simulator) execute(sh *shop, version, baseURL string, req gql.Request) []byte {
	x, errs := adminEngine().Prepare(req)
	if len(errs) > 0 {
		// Shopify refuses a request that does not parse, validate or
		// fit its variables before costing it: no extensions.cost.
		return gql.RenderRefused(errs, nil)
	}
	ec := &execCtx{Exec: x, sh: sh, version: version, baseURL: baseURL}
	requested, cerrs := ec.RequestedCost()
	if len(cerrs) > 0 {
		return gql.RenderRefused(cerrs, sh.costOnly(requested))
	}
	now := s.clock()
	if requested > maxQueryCost {
		sh.stats.add(func(st *Stats) { st.MaxCostExceeded++ })
		return gql.RenderRefused([]gql.Error{{
			Message: fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (%d).\n\n"+
				"See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"+
				"cost of a query is calculated.\n\n"+
				"To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"+
				"See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
				int(requested), maxQueryCost),
			Extensions: map[string]any{"code": "MAX_COST_EXCEEDED", "cost": int(requested), "maxCost": maxQueryCost,
				"documentation": "https://shopify.dev/api/usage/rate-limits"},
			// No extensions.cost: Shopify's published sample and a shop's
			// capture both answer with the error alone.
		}}, nil)
	}
	ok, status := sh.bucket.take(requested, now)
	if !ok {
		sh.stats.add(func(st *Stats) { st.Throttled++ })
		return gql.RenderRefused([]gql.Error{{
			Message:    "Throttled",
			Extensions: map[string]any{"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"},
		}}, &gql.Cost{RequestedQueryCost: requested, ThrottleStatus: status})
	}

	sh.expireBulk()
	data, actual := ec.run()
	actual = min(actual, requested)
	status = sh.bucket.refund(requested-actual, s.clock())
	sh.stats.add(func(st *Stats) { st.PointsSpent += actual })
	s.log.Debug("graphql request", "shop", sh.cfg.Domain, "version", version, "operation", ec.Op.Name,
		"type", string(ec.Op.Operation), "requestedCost", requested, "actualCost", actual, "errors", len(ec.Errors))
	return gql.Render(data, ec.Errors, &gql.Cost{RequestedQueryCost: requested, ActualQueryCost: &actual, ThrottleStatus: status})
}

// run executes the operation under the shop's lock (exclusive for
// mutations) and turns a resolver panic into an INTERNAL_SERVER_ERROR
// instead of a dropped connection and a lock never released.
func (ec *execCtx) run() (data *gql.Map, actual float64) {
	sh := ec.sh
	if ec.Op.Operation == ast.Mutation {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		sh.stats.add(func(st *Stats) { st.Mutations++ })
	} else {
		sh.mu.RLock()
		defer sh.mu.RUnlock()
	}
	return ec.executeSafely()
}

// executeSafely is Execute with a resolver panic turned into an
// INTERNAL_SERVER_ERROR in ec.Errors and nil data. Both the request path and
// bulk operations use it, so a bug in one resolver never takes the process
// down. Callers hold the shop's lock; it is released by them, not here.
func (ec *execCtx) executeSafely() (data *gql.Map, actual float64) {
	defer func() {
		if p := recover(); p != nil {
			ec.sh.sim.log.Error("executor panic", "shop", ec.sh.cfg.Domain, "bulk", ec.Unpaged, "panic", fmt.Sprint(p))
			ec.Errors = append(ec.Errors, gql.Error{Message: "Internal error. Looks like something went wrong on our end.",
				Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}})
			data, actual = nil, 0
		}
	}()
	return ec.Execute(ec)
}

// costOnly is the cost extension of a request refused before execution.
func (sh *shop) costOnly(requested float64) *gql.Cost {
	zero := 0.0
	return &gql.Cost{RequestedQueryCost: requested, ActualQueryCost: &zero, ThrottleStatus: sh.bucket.peek(sh.sim.clock())}
}

func writeGraphQLErrors(w http.ResponseWriter, code int, errs []gql.Error, cost *gql.Cost) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(gql.RenderRefused(errs, cost))
}

// serveNotFound answers any path the simulator does not serve, such as the
// unversioned /admin/graphql.json some clients default to, with Shopify's
// JSON 404 rather than a plain-text one.
func serveNotFound(w http.ResponseWriter, _ *http.Request) {
	writeRaw(w, http.StatusNotFound, `{"errors":"Not Found"}`)
}

func writeRaw(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	io.WriteString(w, body)
}
