package erpsim

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ProductMaster is the ERP's product master data for one Shopify product:
// material, country of origin (ISO 3166-1 alpha-2) and HS code.
type ProductMaster struct {
	ShopifyProductID int64  `json:"shopify_product_id"`
	Material         string `json:"material,omitempty"`
	CountryOfOrigin  string `json:"country_of_origin,omitempty"`
	HSCode           string `json:"hs_code,omitempty"`
}

// maxMasterLookup bounds the IDs of one GET /v1/product-master.
const maxMasterLookup = 250

var (
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	hsCodeRE  = regexp.MustCompile(`^[0-9]{4}(\.?[0-9]{2}){0,3}$`)
)

func validateProductMaster(p ProductMaster) []string {
	var problems []string
	if p.ShopifyProductID <= 0 {
		problems = append(problems, "shopify_product_id must be positive")
	}
	if p.CountryOfOrigin != "" && !countryRE.MatchString(p.CountryOfOrigin) {
		problems = append(problems, "country_of_origin must be an ISO 3166-1 alpha-2 code such as PT")
	}
	if p.HSCode != "" && !hsCodeRE.MatchString(p.HSCode) {
		problems = append(problems, "hs_code must be 4 to 10 digits, optionally dotted, such as 6109.10")
	}
	if len(p.Material) > 255 {
		problems = append(problems, "material must be at most 255 characters")
	}
	return problems
}

// backfillData is the simulator's product master and backfill record
// store, kept apart from the order data.
type backfillData struct {
	mu      sync.Mutex
	masters map[int64]ProductMaster
	records map[string]map[int]*BackfillRecord // backfill → batch → record
}

func newBackfillData() *backfillData {
	return &backfillData{masters: map[int64]ProductMaster{}, records: map[string]map[int]*BackfillRecord{}}
}

func (d *backfillData) reset() {
	d.mu.Lock()
	d.masters = map[int64]ProductMaster{}
	d.records = map[string]map[int]*BackfillRecord{}
	d.mu.Unlock()
}

// PutProductMaster upserts product master data, as PUT
// /v1/product-master/{shopify_product_id} does. Tests use it to seed the ERP.
func (s *Server) PutProductMaster(p ProductMaster) (ProductMaster, error) {
	if problems := validateProductMaster(p); len(problems) > 0 {
		return ProductMaster{}, fmt.Errorf("erpsim: invalid product master: %v", problems)
	}
	s.backfill.mu.Lock()
	s.backfill.masters[p.ShopifyProductID] = p
	s.backfill.mu.Unlock()
	return p, nil
}

func (s *Server) handlePutProductMaster(r *http.Request, body []byte) response {
	var p ProductMaster
	if errResp := decodeJSON(body, &p); errResp != nil {
		return *errResp
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "the path's shopify_product_id must be an integer")
	}
	if p.ShopifyProductID == 0 {
		p.ShopifyProductID = id
	}
	if p.ShopifyProductID != id {
		return validationError([]string{"shopify_product_id in the body differs from the one in the path"})
	}
	out, err := s.PutProductMaster(p)
	if err != nil {
		return validationError(validateProductMaster(p))
	}
	return jsonResponse(http.StatusOK, out)
}

// handleListProductMasters answers GET /v1/product-master?shopify_product_ids=1,2,3.
func (s *Server) handleListProductMasters(r *http.Request, _ []byte) response {
	raw := strings.Split(r.URL.Query().Get("shopify_product_ids"), ",")
	if len(raw) > maxMasterLookup {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, fmt.Sprintf("at most %d shopify_product_ids per request", maxMasterLookup))
	}
	ids := make([]int64, 0, len(raw))
	for _, v := range raw {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "shopify_product_ids must be positive integers, comma-separated")
		}
		ids = append(ids, id)
	}
	found := []ProductMaster{}
	s.backfill.mu.Lock()
	for _, id := range ids {
		if p, ok := s.backfill.masters[id]; ok {
			found = append(found, p)
		}
	}
	s.backfill.mu.Unlock()
	slices.SortFunc(found, func(a, b ProductMaster) int { return cmp.Compare(a.ShopifyProductID, b.ShopifyProductID) })
	found = slices.CompactFunc(found, func(a, b ProductMaster) bool { return a.ShopifyProductID == b.ShopifyProductID })
	return jsonResponse(http.StatusOK, map[string][]ProductMaster{"products": found})
}
