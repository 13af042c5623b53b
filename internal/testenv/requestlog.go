package testenv

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Request is one request the ERP simulator answered, as seen from outside.
type Request struct {
	Method, Path string
	Status       int
	Start, End   time.Time
}

// requestLog records the requests reaching a handler, so that tests can
// check when attempts happened without reaching into the simulator.
type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

func (l *requestLog) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			l.mu.Lock()
			l.reqs = append(l.reqs, Request{Method: r.Method, Path: r.URL.Path, Status: sw.status, Start: start, End: time.Now()})
			l.mu.Unlock()
		}()
		next.ServeHTTP(sw, r)
	})
}

// ERPRequests returns the ERP requests whose path starts with prefix, in
// arrival order.
func (s *Stack) ERPRequests(method, prefix string) []Request {
	s.erpLog.mu.Lock()
	defer s.erpLog.mu.Unlock()
	var out []Request
	for _, r := range s.erpLog.reqs {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
