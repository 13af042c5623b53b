package erpsim

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Error codes the simulator answers with in {"error":{"code":...}}.
const (
	CodeInvalidJSON            = "invalid_json"
	CodeInvalidRequest         = "invalid_request"
	CodeValidationFailed       = "validation_failed"
	CodeNotFound               = "not_found"
	CodeMethodNotAllowed       = "method_not_allowed"
	CodeRequestTooLarge        = "request_too_large"
	CodeIdempotencyKeyMissing  = "idempotency_key_missing"
	CodeIdempotencyKeyMismatch = "idempotency_key_mismatch"
	CodeIdempotencyKeyInFlight = "idempotency_key_in_flight"
	CodeUnknownInvoice         = "unknown_invoice"
	CodeUnknownSKU             = "unknown_sku"
	CodeRateLimited            = "rate_limited"
	CodeInjectedFault          = "injected_fault"
	CodeStaleVersion           = "stale_version"
)

// errorBody is the one error shape every error response uses.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// response is a fully rendered answer. Handlers return one instead of
// writing to the ResponseWriter so the idempotency layer can store it before
// anything reaches the wire.
type response struct {
	status int
	body   []byte
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, "internal", "encoding response failed")
	}
	return response{status: status, body: b}
}

func errorResponse(status int, code, msg string) response {
	b, _ := json.Marshal(errorBody{errorDetail{Code: code, Message: msg}})
	return response{status: status, body: b}
}

func validationError(problems []string) response {
	return errorResponse(http.StatusUnprocessableEntity, CodeValidationFailed, strings.Join(problems, "; "))
}

func (resp response) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	w.Write(resp.body)
	w.Write([]byte("\n"))
}
