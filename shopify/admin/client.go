package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/shopflow/shopflow/internal/ctxsleep"
	"github.com/shopflow/shopflow/internal/downstream"
)

// maxResponseBytes bounds a response body read into memory.
const maxResponseBytes = 64 << 20

// Client is a graphql.Client for one shop's Admin API that keeps within
// Shopify's cost-based rate limit: before each request it waits until the
// shop's bucket, as modelled from Shopify's throttleStatus reports, holds
// the request's expected cost. It retries throttled and 429 answers, and
// unless Options turn that off (see ForActivities) 5xx and network
// failures (mutations only if idempotent), and returns *Error otherwise.
// It is safe for concurrent use, and every Client of a shop in the process
// shares one bucket model (see Registry).
type Client struct {
	opts     Options
	endpoint string
	bucket   *bucket
	spend    *spendCap // Options.Budget.MaxRate; nil for none
}

var _ graphql.Client = (*Client)(nil)

// NewClient returns a Client for opts.Shop.
func NewClient(opts Options) (*Client, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	return &Client{
		opts:     opts,
		endpoint: opts.BaseURL + GraphQLPath(opts.APIVersion),
		bucket:   opts.Registry.bucket(opts.BaseURL, opts.Shop),
		spend:    newSpendCap(opts.Budget.MaxRate, opts.Registry.now),
	}, nil
}

// Shop returns the shop's domain.
func (c *Client) Shop() string { return c.opts.Shop }

// Stats returns the shop's figures, summed over its Clients.
func (c *Client) Stats() Stats { return c.bucket.stats.get() }

// Available returns the limiter's current model of the shop's bucket:
// points available now, its size and its restore rate per second; ok is
// false until Shopify has reported them.
func (c *Client) Available() (available, maximum, restoreRate float64, ok bool) {
	return c.bucket.snapshot()
}

// requestBody is what is posted.
type requestBody struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName,omitempty"`
	Variables     json.RawMessage `json:"variables,omitempty"`
}

// envelope is a GraphQL response.
type envelope struct {
	Data       json.RawMessage `json:"data"`
	Errors     gqlerror.List   `json:"errors"`
	Extensions json.RawMessage `json:"extensions"`
}

// result is one HTTP exchange.
type result struct {
	status     int
	header     http.Header
	env        envelope
	cost       *queryCost
	extensions map[string]any
	err        error // transport error
	decodeErr  error
}

// MakeRequest implements graphql.Client. It is a loop: wait for the
// bucket, send once, note what came back, and do what decide says the
// response means, within Options' retry bounds.
func (c *Client) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	op := req.OpName
	body, vars, err := encodeRequest(req)
	if err != nil {
		return fmt.Errorf("admin: encoding %s: %w", op, err)
	}
	key := costKey(op, vars)
	retrySafe := retrySafe(req.Query, op, vars)
	cost := func() float64 {
		if v, ok := c.bucket.learnedCost(key); ok {
			return v
		}
		return estimateCost(req.Query, op, vars)
	}

	var throttles, failures, attempts int
	for {
		expected := cost()
		capped, err := c.spend.wait(ctx, expected)
		c.noteWait(capped)
		if err != nil {
			return err
		}
		r, waited, err := c.bucket.acquire(ctx, cost, c.opts.Budget.Reserve)
		c.noteWait(waited)
		if err != nil {
			return err
		}
		attempts++
		res := c.send(ctx, body, op)
		c.bucket.release(r, res.cost)
		c.spend.settle(expected, actualCost(res.cost))
		c.note(op, res)
		if res.cost != nil && res.cost.RequestedQueryCost > 0 {
			c.bucket.learn(key, res.cost.RequestedQueryCost)
		}
		if res.err != nil && ctx.Err() != nil {
			return ctx.Err() // the caller gave up; the failure is not Shopify's
		}

		dec := decide(res, retrySafe, time.Now(), rand.N[time.Duration])
		if dec.throttled {
			c.noteThrottled()
		}
		var wait time.Duration
		switch dec.act {
		case actDeliver:
			resp.Extensions = res.extensions
			if !isNull(res.env.Data) {
				if err := json.Unmarshal(res.env.Data, resp.Data); err != nil {
					return c.fail(op, res, attempts, decision{kind: KindDecode, cause: err})
				}
			}
			if dec.kind != 0 {
				resp.Errors = res.env.Errors
				return c.fail(op, res, attempts, dec)
			}
			return nil
		case actFail:
			return c.fail(op, res, attempts, dec)
		case actThrottle:
			if throttles++; throttles > c.opts.MaxThrottleRetries {
				e := c.fail(op, res, attempts, dec)
				e.RetryAfter = dec.retryAfter
				return e
			}
			wait = dec.wait
		case actBackOff:
			if failures++; failures > c.opts.MaxErrorRetries {
				return c.fail(op, res, attempts, dec)
			}
			wait = backoff(failures, c.opts.BackoffBase, c.opts.BackoffMax)
		}
		c.noteWait(wait)
		if err := ctxsleep.Sleep(ctx, wait); err != nil {
			return err // context ended while waiting to retry
		}
	}
}

// fail returns dec's *Error for res, the attempts-th send of op, and
// counts it.
func (c *Client) fail(op string, res result, attempts int, dec decision) *Error {
	c.bucket.stats.add(func(s *Stats) { s.Errors++ })
	c.opts.Metrics.failed(c.opts.Shop, dec.kind)
	return &Error{Kind: dec.kind, Shop: c.opts.Shop, Operation: op, StatusCode: res.status,
		Codes: codes(res.env.Errors), Message: dec.msg, Attempts: attempts, Err: dec.cause}
}

// send posts body once.
func (c *Client) send(ctx context.Context, body []byte, op string) result {
	// Every GraphQL call is a POST to one URL: name it for the downstream
	// request metrics by its operation.
	hreq, err := http.NewRequestWithContext(downstream.WithOperation(ctx, op), http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return result{err: err}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("X-Shopify-Access-Token", c.opts.AccessToken)
	c.opts.Metrics.request(c.opts.Shop, op)
	c.bucket.stats.add(func(s *Stats) { s.Requests++ })
	hresp, err := c.opts.HTTP.Do(hreq)
	if err != nil {
		return result{err: stripURL(err)}
	}
	defer hresp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hresp.Body, maxResponseBytes))
	if err != nil {
		return result{status: hresp.StatusCode, header: hresp.Header, err: err}
	}
	return readResult(hresp.StatusCode, hresp.Header, raw)
}

// readResult is the result of an answer with status, header and body
// raw; kept apart from send so that tests can build real results.
func readResult(status int, header http.Header, raw []byte) result {
	res := result{status: status, header: header}
	if err := json.Unmarshal(raw, &res.env); err != nil {
		res.decodeErr = fmt.Errorf("decoding HTTP %d response: %w", status, err)
		return res
	}
	if len(res.env.Extensions) > 0 {
		var ext struct {
			Cost *queryCost `json:"cost"`
		}
		if json.Unmarshal(res.env.Extensions, &ext) == nil {
			res.cost = ext.Cost
		}
		_ = json.Unmarshal(res.env.Extensions, &res.extensions)
	}
	return res
}

// note records one response in the stats and metrics.
func (c *Client) note(op string, res result) {
	qc := res.cost
	if qc == nil {
		return
	}
	spent := 0.0
	if qc.ActualQueryCost != nil {
		spent = *qc.ActualQueryCost
	}
	c.opts.Metrics.spent(c.opts.Shop, spent)
	ts := qc.ThrottleStatus
	if ts != nil {
		c.opts.Metrics.level(c.opts.Shop, ts.CurrentlyAvailable)
	}
	c.bucket.stats.add(func(s *Stats) {
		s.PointsSpent += spent
		if ts != nil {
			s.Samples++
			s.AvailableSum += ts.CurrentlyAvailable
			s.MaximumAvailable, s.RestoreRate = ts.MaximumAvailable, ts.RestoreRate
		}
	})
}

func (c *Client) noteWait(d time.Duration) {
	if d <= 0 {
		return
	}
	c.opts.Metrics.waited(c.opts.Shop, d)
	c.bucket.stats.add(func(s *Stats) { s.Waited += d })
}

func (c *Client) noteThrottled() {
	c.opts.Metrics.throttle(c.opts.Shop)
	c.bucket.stats.add(func(s *Stats) { s.Throttled++ })
}

// encodeRequest returns the JSON body and the variables as a map (for the
// cost estimate).
func encodeRequest(req *graphql.Request) ([]byte, map[string]any, error) {
	rb := requestBody{Query: req.Query, OperationName: req.OpName}
	var vars map[string]any
	if req.Variables != nil {
		v, err := json.Marshal(req.Variables)
		if err != nil {
			return nil, nil, err
		}
		rb.Variables = v
		if err := json.Unmarshal(v, &vars); err != nil {
			return nil, nil, err
		}
	}
	body, err := json.Marshal(rb)
	return body, vars, err
}

// idempotentMutations may be sent again after a failure whose outcome is
// unknown: they set values rather than add them.
var idempotentMutations = map[string]bool{
	"MetafieldsSet":    true,
	"MetafieldsDelete": true,
}

// retrySafe reports whether a request may be repeated after a 5xx or
// network error: queries, mutations with an @idempotent key, and the
// idempotentMutations unless they compare and set.
func retrySafe(query, op string, vars map[string]any) bool {
	if !isMutation(query, op) {
		return true
	}
	if strings.Contains(query, "@idempotent") {
		return true
	}
	return idempotentMutations[op] && !comparesDigest(vars)
}

// comparesDigest reports whether a metafieldsSet's variables carry a
// compareDigest. Such a write is refused once the metafield has changed,
// so if the first attempt was applied, a repeat fails with STALE_OBJECT
// although the write succeeded.
func comparesDigest(vars map[string]any) bool {
	list, _ := vars["metafields"].([]any)
	for _, m := range list {
		if m, ok := m.(map[string]any); ok && m["compareDigest"] != nil {
			return true
		}
	}
	return false
}

// notSent reports whether a transport error happened before the request
// could reach Shopify: connecting failed (including the DNS lookup), so
// nothing was written and repeating the request cannot apply it twice.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// stripURL drops the URL from the *url.Error that http.Client.Do and
// url.Parse return, keeping the operation and the cause: a bulk
// operation's result URL is pre-signed, so whoever reads it in a log or a
// workflow failure could download the export. Error.Error prints its
// cause, so no URL may get into one.
func stripURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// refillTime is how long the bucket needs to hold a throttled query.
func refillTime(qc *queryCost) time.Duration {
	if qc == nil || qc.ThrottleStatus == nil || qc.ThrottleStatus.RestoreRate <= 0 {
		return time.Second
	}
	ts := qc.ThrottleStatus
	s := (qc.RequestedQueryCost - ts.CurrentlyAvailable) / ts.RestoreRate
	if s < 0 {
		s = 0
	}
	return time.Duration(s * float64(time.Second))
}

func codes(errs gqlerror.List) []string {
	var out []string
	for _, e := range errs {
		if c, ok := e.Extensions["code"].(string); ok && c != "" {
			out = append(out, c)
		}
	}
	return out
}

func hasCode(errs gqlerror.List, code string) bool {
	for _, e := range errs {
		if c, _ := e.Extensions["code"].(string); c == code {
			return true
		}
	}
	return false
}

func isNull(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) == 0 || bytes.Equal(s, []byte("null"))
}

// errorText is the message of an HTTP error response, if it has one.
func errorText(res result) string {
	if len(res.env.Errors) > 0 {
		return res.env.Errors[0].Message
	}
	if res.decodeErr != nil {
		return http.StatusText(res.status)
	}
	return ""
}
