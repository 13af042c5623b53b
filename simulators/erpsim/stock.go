package erpsim

import (
	"cmp"
	"net/http"
	"slices"
)

func (s *Server) handleGetStock(r *http.Request, _ []byte) response {
	q := r.URL.Query()
	sku, location := q.Get("sku"), q.Get("location")
	if sku == "" {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "the sku query parameter is required")
	}
	s.mu.Lock()
	levels := []StockLevel{}
	for k, n := range s.stock {
		if k.sku == sku && (location == "" || k.location == location) {
			levels = append(levels, StockLevel{SKU: k.sku, Location: k.location, Available: n})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(levels, func(a, b StockLevel) int { return cmp.Compare(a.Location, b.Location) })
	return jsonResponse(http.StatusOK, map[string][]StockLevel{"levels": levels})
}

func (s *Server) handlePutStock(r *http.Request, body []byte) response {
	var in stockInput
	if errResp := decodeJSON(body, &in); errResp != nil {
		return *errResp
	}
	if in.Available == nil || *in.Available < 0 {
		return validationError([]string{"available is required and must not be negative"})
	}
	lvl := StockLevel{SKU: r.PathValue("sku"), Location: r.PathValue("location"), Available: *in.Available}
	s.mu.Lock()
	s.stock[stockKey{lvl.SKU, lvl.Location}] = lvl.Available
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, lvl)
}
