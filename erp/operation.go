package erp

import (
	"net/http"
	"strings"
)

// Operation names an ERP request for metrics (package internal/downstream)
// by its method and route, with the IDs in its path replaced: a request to
// /v1/products/ABC-1 is "GET /v1/products/{id}", to /v1/stock/ABC-1/main
// "PUT /v1/stock/{id}/{id}". The ERP's routes are /v1/{collection}
// followed by IDs, so the names stay a small set whatever the IDs, and a
// new call needs no table entry here.
func Operation(r *http.Request) string {
	segments := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	for i := range segments {
		if i >= 2 {
			segments[i] = "{id}"
		}
	}
	return r.Method + " /" + strings.Join(segments, "/")
}
