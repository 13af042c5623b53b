package erp

import (
	"net/http"
	"time"
)

// NewHTTPClient returns an HTTP client suited to the ERP: each request is
// bounded by timeout, which callers keep well inside an activity's own
// timeout so that a hung connection becomes a retry rather than a stuck
// activity, and enough idle connections are kept for a busy worker.
func NewHTTPClient(timeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	return &http.Client{Timeout: timeout, Transport: transport}
}
