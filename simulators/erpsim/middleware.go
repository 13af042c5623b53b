package erpsim

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// maxCorrelationIDLen bounds what a client can make us log.
const maxCorrelationIDLen = 128

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// serveHTTP is the outermost layer: body limit, correlation ID, counters
// and one log line per request. Bodies are never logged: they hold
// customer names and addresses.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	// The original writer, so net/http can close a connection whose body
	// ran over the limit.
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	cid := r.Header.Get("X-Correlation-ID")
	if len(cid) > maxCorrelationIDLen {
		cid = cid[:maxCorrelationIDLen]
	}
	if cid != "" {
		w.Header().Set("X-Correlation-ID", cid)
	}
	_, route := s.mux.Handler(r)

	defer func() {
		p := recover()
		status := strconv.Itoa(sw.status)
		if p != nil {
			status = "aborted"
		} else if sw.status == 0 {
			status = strconv.Itoa(http.StatusOK)
		}
		name := route
		if name == "" {
			name = "unmatched"
		}
		s.stats.request(name, status)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("correlation_id", cid),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("status", status),
			slog.Duration("duration", time.Since(start)),
		)
		if p != nil {
			panic(p) // let net/http drop the connection
		}
	}()

	if route == "" {
		s.serveUnmatched(sw, r)
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// serveUnmatched lets the mux decide between 404, 405 and a redirect, then
// renders errors in the API's JSON error shape instead of plain text.
func (s *Server) serveUnmatched(w http.ResponseWriter, r *http.Request) {
	c := &captureWriter{header: make(http.Header)}
	s.mux.ServeHTTP(c, r)
	if c.status == 0 {
		c.status = http.StatusOK
	}
	switch {
	case c.status == http.StatusMethodNotAllowed:
		w.Header().Set("Allow", c.header.Get("Allow"))
		errorResponse(c.status, CodeMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path).write(w)
	case c.status >= 400:
		errorResponse(c.status, CodeNotFound, "no route for "+r.Method+" "+r.URL.Path).write(w)
	default:
		for k, v := range c.header {
			w.Header()[k] = v
		}
		w.WriteHeader(c.status)
	}
}

// captureWriter records what the mux's built-in handlers would answer.
type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return len(b), nil
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
