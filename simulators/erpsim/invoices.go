package erpsim

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) handleCreateInvoice(r *http.Request, body []byte) response {
	var in invoiceInput
	if errResp := decodeJSON(body, &in); errResp != nil {
		return *errResp
	}
	if problems := validateInvoice(in); len(problems) > 0 {
		return validationError(problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.strictSKUs {
		for _, l := range in.Lines {
			if _, ok := s.products[l.SKU]; !ok {
				return errorResponse(http.StatusUnprocessableEntity, CodeUnknownSKU, "sku "+l.SKU+" is not in the product master")
			}
		}
	}
	inv := Invoice{
		ID:        newID("inv_"),
		Shop:      in.Shop,
		OrderID:   in.OrderID,
		OrderName: in.OrderName,
		Currency:  in.Currency,
		Lines:     slices.Clone(in.Lines),
		Total:     in.Total,
		CreatedAt: s.now().UTC(),
	}
	s.invoiceIndex[inv.ID] = len(s.invoices)
	s.invoices = append(s.invoices, inv)
	return jsonResponse(http.StatusCreated, inv)
}

// newID returns prefix plus a random suffix, unique across restarts of the
// simulator so IDs remembered by a workflow never collide.
func newID(prefix string) string {
	return prefix + strings.ToLower(rand.Text())
}
