package erpsim

import (
	"net/http"
	"strconv"
)

// OrderRecords returns every invoice and fulfillment request ever created
// for the order, oldest first: the ground truth tests assert "exactly once"
// against. Both slices are non-nil.
func (s *Server) OrderRecords(shop string, orderID int64) ([]Invoice, []FulfillmentRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	invoices := []Invoice{}
	for _, inv := range s.invoices {
		if inv.Shop == shop && inv.OrderID == orderID {
			invoices = append(invoices, inv)
		}
	}
	fulfillments := []FulfillmentRequest{}
	for _, f := range s.fulfillments {
		if f.Shop == shop && f.OrderID == orderID {
			fulfillments = append(fulfillments, f)
		}
	}
	return invoices, fulfillments
}

// SetFaults replaces the fault rules. It rejects the whole list, keeping
// the old rules, if any rule is invalid.
func (s *Server) SetFaults(faults []Fault) error {
	return s.faults.set(faults)
}

// Faults returns the active fault rules.
func (s *Server) Faults() []Fault {
	return s.faults.list()
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	st := s.stats.snapshot()
	st.KeysStored, st.KeysInFlight = s.keys.counts()
	return st
}

// Reset clears all data, Idempotency-Keys, faults and counters.
func (s *Server) Reset() {
	s.resetData()
	s.backfill.reset()
	s.keys.reset()
	s.faults.set(nil)
	s.stats.reset()
}

// orderRecords is the body of GET /admin/orders/{shop}/{order_id}.
type orderRecords struct {
	Invoices            []Invoice            `json:"invoices"`
	FulfillmentRequests []FulfillmentRequest `json:"fulfillment_requests"`
}

func (s *Server) handleAdminOrder(w http.ResponseWriter, r *http.Request) {
	orderID, err := strconv.ParseInt(r.PathValue("order_id"), 10, 64)
	if err != nil {
		errorResponse(http.StatusBadRequest, CodeInvalidRequest, "order_id must be an integer").write(w)
		return
	}
	inv, ful := s.OrderRecords(r.PathValue("shop"), orderID)
	jsonResponse(http.StatusOK, orderRecords{Invoices: inv, FulfillmentRequests: ful}).write(w)
}

func (s *Server) handleAdminStats(w http.ResponseWriter, r *http.Request) {
	jsonResponse(http.StatusOK, s.Stats()).write(w)
}

func (s *Server) handleAdminReset(w http.ResponseWriter, r *http.Request) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}

// faultList is the body of GET and POST /admin/faults.
type faultList struct {
	Faults []Fault `json:"faults"`
}

func (s *Server) handleAdminGetFaults(w http.ResponseWriter, r *http.Request) {
	jsonResponse(http.StatusOK, faultList{Faults: s.Faults()}).write(w)
}

// handleAdminSetFaults accepts either {"faults":[...]} or a bare list.
func (s *Server) handleAdminSetFaults(w http.ResponseWriter, r *http.Request) {
	body, errResp := readBody(r)
	if errResp != nil {
		errResp.write(w)
		return
	}
	var list faultList
	if len(body) > 0 && firstNonSpace(body) == '[' {
		errResp = decodeJSON(body, &list.Faults)
	} else {
		errResp = decodeJSON(body, &list)
	}
	if errResp != nil {
		errResp.write(w)
		return
	}
	if err := s.SetFaults(list.Faults); err != nil {
		errorResponse(http.StatusUnprocessableEntity, CodeValidationFailed, err.Error()).write(w)
		return
	}
	jsonResponse(http.StatusOK, faultList{Faults: s.Faults()}).write(w)
}

func (s *Server) handleAdminClearFaults(w http.ResponseWriter, r *http.Request) {
	s.faults.set(nil)
	w.WriteHeader(http.StatusNoContent)
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
