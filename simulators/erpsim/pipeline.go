package erpsim

import (
	"net/http"

	"github.com/shopflow/shopflow/internal/ctxsleep"
)

const (
	// maxIdempotencyKeyLen matches Stripe's limit.
	maxIdempotencyKeyLen = 255
	// statusClientGone is nginx's code for "the client closed the request
	// first"; nobody reads it, but it shows up in logs and stats.
	statusClientGone = 499
)

// apiHandler serves one /v1/ route. It gets the already read body and
// returns the rendered response instead of writing it, so the caller can
// store it under an Idempotency-Key first.
type apiHandler func(r *http.Request, body []byte) response

// v1 wraps an API handler with fault injection and, for POST routes, the
// Idempotency-Key protocol. The order mirrors a real deployment: error and
// rate-limit faults happen at the edge before any effect, latency happens
// while the key is held (a slow backend), and commit_then_timeout drops the
// connection after the effect is stored.
func (s *Server) v1(h apiHandler, idempotent bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fault, faulted := s.faults.pick(r.Method, r.URL.Path)
		if faulted {
			s.stats.fault(fault.Kind)
			switch fault.Kind {
			case FaultError:
				status := fault.Status
				if status == 0 {
					status = http.StatusServiceUnavailable
				}
				errorResponse(status, CodeInjectedFault, "injected fault").write(w)
				return
			case FaultRateLimit:
				ra := fault.RetryAfter
				if ra == "" {
					ra = "1"
				}
				w.Header().Set("Retry-After", ra)
				errorResponse(http.StatusTooManyRequests, CodeRateLimited, "rate limit exceeded").write(w)
				return
			}
		}

		body, errResp := readBody(r)
		if errResp != nil {
			errResp.write(w)
			return
		}

		if !idempotent {
			if faulted && fault.Kind == FaultLatency && ctxsleep.Sleep(r.Context(), fault.Latency) != nil {
				w.WriteHeader(statusClientGone)
				return
			}
			resp := h(r, body)
			s.maybeAbort(r, fault, faulted)
			resp.write(w)
			return
		}

		key := r.Header.Get("Idempotency-Key")
		switch {
		case key == "":
			errorResponse(http.StatusBadRequest, CodeIdempotencyKeyMissing, "an Idempotency-Key header is required").write(w)
			return
		case len(key) > maxIdempotencyKeyLen:
			errorResponse(http.StatusBadRequest, CodeInvalidRequest, "Idempotency-Key is longer than 255 characters").write(w)
			return
		}
		outcome, entry, stored := s.keys.claim(key, fingerprint(r.Method, r.URL.Path, body))
		switch outcome {
		case mismatch:
			errorResponse(http.StatusUnprocessableEntity, CodeIdempotencyKeyMismatch,
				"this Idempotency-Key was used with a different request").write(w)
			return
		case inFlight:
			errorResponse(http.StatusConflict, CodeIdempotencyKeyInFlight,
				"a request with this Idempotency-Key is still being processed").write(w)
			return
		case replay:
			s.stats.replay()
			w.Header().Set("Idempotent-Replayed", "true")
			s.maybeAbort(r, fault, faulted)
			stored.write(w)
			return
		}

		kept := false
		defer func() {
			// Also runs on panic, so a crashed request frees its key.
			if !kept {
				s.keys.release(key, entry)
			}
		}()
		if faulted && fault.Kind == FaultLatency && ctxsleep.Sleep(r.Context(), fault.Latency) != nil {
			w.WriteHeader(statusClientGone) // and the deferred release frees the key
			return
		}
		resp := h(r, body)
		if storable(resp.status) {
			s.keys.complete(key, entry, resp)
			kept = true
		}
		s.maybeAbort(r, fault, faulted)
		resp.write(w)
	})
}

// maybeAbort implements commit_then_timeout once the effect is done: wait
// the rule's latency, then drop the connection without an answer.
func (s *Server) maybeAbort(r *http.Request, fault Fault, faulted bool) {
	if !faulted || fault.Kind != FaultCommitThenTimeout {
		return
	}
	ctxsleep.Sleep(r.Context(), fault.Latency) // the connection is dropped either way
	panic(http.ErrAbortHandler)
}
