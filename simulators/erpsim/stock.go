package erpsim

import (
	"cmp"
	"net/http"
	"slices"
	"time"
)

func (s *Server) handleGetStock(r *http.Request, _ []byte) response {
	q := r.URL.Query()
	sku, location := q.Get("sku"), q.Get("location")
	if sku == "" {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "the sku query parameter is required")
	}
	s.mu.Lock()
	levels := []StockLevel{}
	for k, e := range s.stock {
		if k.sku == sku && (location == "" || k.location == location) {
			levels = append(levels, StockLevel{SKU: k.sku, Location: k.location, Available: e.available})
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
	rec, stale := s.writeStock(r.PathValue("sku"), r.PathValue("location"), *in.Available, in.Version)
	if stale {
		return errorResponse(http.StatusPreconditionFailed, CodeStaleVersion,
			"a newer version of this stock record is stored: "+rec.Version.Format(time.RFC3339))
	}
	return jsonResponse(http.StatusOK, rec)
}
