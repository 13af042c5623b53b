package erpsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// readBody reads the whole request body. The body is already capped by
// http.MaxBytesReader, so an oversized body turns into a 413 here.
func readBody(r *http.Request) ([]byte, *response) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			resp := errorResponse(http.StatusRequestEntityTooLarge, CodeRequestTooLarge,
				fmt.Sprintf("request body exceeds %d bytes", tooLarge.Limit))
			return nil, &resp
		}
		resp := errorResponse(http.StatusBadRequest, CodeInvalidRequest, "reading request body failed")
		return nil, &resp
	}
	return b, nil
}

// decodeJSON decodes body strictly into v: unknown fields and trailing data
// are rejected so that a client speaking a different dialect fails loudly
// instead of silently losing fields.
func decodeJSON(body []byte, v any) *response {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		resp := errorResponse(http.StatusBadRequest, CodeInvalidJSON, "malformed JSON body: "+err.Error())
		return &resp
	}
	if dec.More() {
		resp := errorResponse(http.StatusBadRequest, CodeInvalidJSON, "malformed JSON body: trailing data")
		return &resp
	}
	return nil
}
