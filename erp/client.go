package erp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopflow/shopflow/internal/retryafter"
)

// DefaultTimeout bounds each request when Client.HTTP is nil.
const DefaultTimeout = 10 * time.Second

// maxResponseBytes caps how much of an answer the client reads, so a
// misbehaving server cannot exhaust memory.
const maxResponseBytes = 8 << 20

var defaultHTTPClient = &http.Client{Timeout: DefaultTimeout}

// Client calls the ERP API. It is safe for concurrent use.
type Client struct {
	// BaseURL is the ERP's root, such as "http://127.0.0.1:8090".
	BaseURL string
	// HTTP sends the requests; nil means a client with a 10 s timeout.
	HTTP *http.Client
}

// New returns a Client for the ERP at baseURL. A nil httpClient means one
// with a 10 s timeout.
func New(baseURL string, httpClient *http.Client) *Client {
	return &Client{BaseURL: baseURL, HTTP: httpClient}
}

// call describes one request.
type call struct {
	method         string
	path           string // already escaped
	query          url.Values
	idempotencyKey string
	in             any // JSON body, nil for none
	out            any // decoded from a 2xx answer, nil to discard
}

// do makes exactly one attempt. Non-2xx answers become *APIError; transport
// errors are wrapped with %w and otherwise untouched.
func (c *Client) do(ctx context.Context, cl call) error {
	op := cl.method + " " + cl.path
	var body io.Reader
	if cl.in != nil {
		b, err := json.Marshal(cl.in)
		if err != nil {
			return fmt.Errorf("erp: %s: encoding request: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	u := strings.TrimRight(c.BaseURL, "/") + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return fmt.Errorf("erp: %s: %w", op, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", cl.idempotencyKey)
	}
	if id := CorrelationID(ctx); id != "" {
		req.Header.Set("X-Correlation-ID", id)
	}

	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTPClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("erp: %s: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("erp: %s: reading response: %w", op, err)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(resp, data)
	}
	if cl.out == nil {
		return nil
	}
	if err := json.Unmarshal(data, cl.out); err != nil {
		return fmt.Errorf("erp: %s: decoding %d response: %w", op, resp.StatusCode, err)
	}
	return nil
}

// newAPIError builds an APIError from the ERP's {"error":{...}} body. A body
// in any other shape is not quoted, since it might hold customer data.
func newAPIError(resp *http.Response, data []byte) *APIError {
	// An absent or invalid Retry-After leaves 0: the activity's retry
	// policy then picks the delay.
	ra, _ := retryafter.Parse(resp.Header.Get("Retry-After"), time.Now())
	e := &APIError{StatusCode: resp.StatusCode, RetryAfter: ra}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(data, &body) == nil && body.Error.Code != "" {
		e.Code, e.Message = body.Error.Code, body.Error.Message
	} else {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}
