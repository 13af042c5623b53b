package erpsim

import (
	"net/http"
	"slices"
)

func (s *Server) handleCreateFulfillment(r *http.Request, body []byte) response {
	var in fulfillmentInput
	if errResp := decodeJSON(body, &in); errResp != nil {
		return *errResp
	}
	if problems := validateFulfillment(in); len(problems) > 0 {
		return validationError(problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.invoiceIndex[in.InvoiceID]
	if !ok || s.invoices[i].Shop != in.Shop || s.invoices[i].OrderID != in.OrderID {
		return errorResponse(http.StatusUnprocessableEntity, CodeUnknownInvoice,
			"invoice "+in.InvoiceID+" does not exist for this shop and order")
	}
	f := FulfillmentRequest{
		ID:              newID("ful_"),
		Shop:            in.Shop,
		OrderID:         in.OrderID,
		InvoiceID:       in.InvoiceID,
		Lines:           slices.Clone(in.Lines),
		ShippingAddress: in.ShippingAddress,
		CreatedAt:       s.now().UTC(),
	}
	s.fulfillments = append(s.fulfillments, f)
	return jsonResponse(http.StatusCreated, f)
}
