package erpsim

import (
	"net/http"
	"strconv"
)

// handleListInvoices answers GET /v1/invoices?shop=...&order_id=...: the
// invoices of one order, how a reconciliation asks whether an order has
// been invoiced.
func (s *Server) handleListInvoices(r *http.Request, _ []byte) response {
	q := r.URL.Query()
	shop := q.Get("shop")
	orderID, err := strconv.ParseInt(q.Get("order_id"), 10, 64)
	if shop == "" || err != nil || orderID <= 0 {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "shop and a positive integer order_id are required")
	}
	invoices, _ := s.OrderRecords(shop, orderID)
	return jsonResponse(http.StatusOK, map[string][]Invoice{"invoices": invoices})
}
