package main

import (
	"net/http"
	"time"
)

// newHTTPClient returns the client for downstream APIs: one attempt is
// bounded by timeout, well inside the activity's own timeout, so that a hung
// connection becomes a retry rather than a stuck activity.
func newHTTPClient(timeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	return &http.Client{Timeout: timeout, Transport: transport}
}
