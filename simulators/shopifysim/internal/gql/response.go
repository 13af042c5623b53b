package gql

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxRequestBytes bounds the body of one request.
const maxRequestBytes = 2 << 20

// Request is the JSON body of a GraphQL request.
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// ErrNoQuery is ReadRequest's error for a body without a query, which
// Shopify answers with 400 and {"errors":{"query":"Required parameter
// missing or invalid"}}, not a GraphQL error list.
var ErrNoQuery = errors.New("Required parameter missing or invalid")

// ReadRequest reads a GraphQL request from an HTTP body: JSON, or the
// bare query for Content-Type application/graphql. The error's text is
// the message Shopify answers with.
func ReadRequest(w http.ResponseWriter, r *http.Request) (Request, error) {
	var req Request
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		return req, fmt.Errorf("request body too large or unreadable")
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/graphql" {
		req.Query = string(body)
		return req, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		return req, fmt.Errorf("Invalid JSON in request body")
	}
	if req.Query == "" {
		return req, ErrNoQuery
	}
	return req, nil
}

// Cost is extensions.cost of every response.
type Cost struct {
	RequestedQueryCost float64        `json:"requestedQueryCost"`
	ActualQueryCost    *float64       `json:"actualQueryCost"`
	ThrottleStatus     ThrottleStatus `json:"throttleStatus"`
}

// ThrottleStatus is the state of the cost bucket reported in
// extensions.cost.
type ThrottleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
}

// Render renders the response of an executed operation; nil data (a null
// that reached the root) is "data":null.
func Render(data *Map, errs []Error, cost *Cost) []byte {
	return render(data, true, errs, cost)
}

// RenderRefused renders the response of a request refused before
// execution, which has no data at all, as on Shopify.
func RenderRefused(errs []Error, cost *Cost) []byte {
	return render(nil, false, errs, cost)
}

// render renders {"errors","data","extensions"}: errors and extensions
// are left out when empty, data when the operation did not run.
func render(data *Map, ran bool, errs []Error, cost *Cost) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	sep := false
	if len(errs) > 0 {
		b, _ := json.Marshal(errs)
		buf.WriteString(`"errors":`)
		buf.Write(b)
		sep = true
	}
	if ran {
		if sep {
			buf.WriteByte(',')
		}
		buf.WriteString(`"data":`)
		if data == nil {
			buf.WriteString("null")
		} else {
			WriteJSON(&buf, data)
		}
		sep = true
	}
	if cost != nil {
		if sep {
			buf.WriteByte(',')
		}
		b, _ := json.Marshal(map[string]any{"cost": cost})
		buf.WriteString(`"extensions":`)
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}
