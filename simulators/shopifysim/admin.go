package shopifysim

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// The simulator's own JSON API lives under /sim/, apart from Shopify's
// paths. It has no authentication: it is a local test tool.
//
//	GET    /sim/healthz
//	GET    /sim/shops                                  shop domains
//	POST   /sim/shops                                  add a shop (ShopConfig JSON)
//	POST   /sim/shops/{shop}/seed                      SeedOptions → seed the catalog
//	GET    /sim/shops/{shop}/products                  catalog snapshot
//	POST   /sim/shops/{shop}/products                  ProductInput → products/create
//	PATCH  /sim/shops/{shop}/products/{id}             ProductInput → products/update
//	DELETE /sim/shops/{shop}/products/{id}             → products/delete
//	GET    /sim/shops/{shop}/locations
//	POST   /sim/shops/{shop}/orders                    OrderInput → orders/create
//	PATCH  /sim/shops/{shop}/orders/{id}               OrderUpdate → orders/updated
//	GET    /sim/shops/{shop}/inventory?inventoryItemId=&locationId=
//	POST   /sim/shops/{shop}/inventory                 {inventoryItemId, locationId, name, quantity} → inventory_levels/update
//	GET    /sim/shops/{shop}/faults
//	PUT    /sim/shops/{shop}/faults                    faults, durations as "250ms"
//	GET    /sim/shops/{shop}/stats
//	DELETE /sim/shops/{shop}/stats                     reset counters
//	POST   /sim/shops/{shop}/webhooks                  {topic, callbackUrl} → subscribe
//	GET    /sim/bulk/{shop}/{id}.jsonl                 bulk operation result
func (s *Simulator) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /sim/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSONResponse(w, http.StatusOK, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /sim/shops", func(w http.ResponseWriter, _ *http.Request) {
		writeJSONResponse(w, http.StatusOK, map[string]any{"shops": s.Shops()})
	})
	mux.HandleFunc("POST /sim/shops", func(w http.ResponseWriter, r *http.Request) {
		var sc ShopConfig
		if !decodeBody(w, r, &sc) {
			return
		}
		if sc.Domain == "" || sc.AccessToken == "" {
			writeAdminError(w, http.StatusUnprocessableEntity, errors.New("domain and accessToken are required"))
			return
		}
		s.AddShop(sc)
		writeJSONResponse(w, http.StatusCreated, map[string]any{"domain": sc.Domain})
	})
	mux.HandleFunc("POST /sim/shops/{shop}/seed", func(w http.ResponseWriter, r *http.Request) {
		var opt SeedOptions
		if !decodeBody(w, r, &opt) {
			return
		}
		start := time.Now()
		if err := s.SeedCatalog(r.PathValue("shop"), opt); err != nil {
			writeAdminError(w, statusOf(err), err)
			return
		}
		writeJSONResponse(w, http.StatusOK, map[string]any{"seeded": opt, "tookMs": time.Since(start).Milliseconds()})
	})
	mux.HandleFunc("GET /sim/shops/{shop}/products", func(w http.ResponseWriter, r *http.Request) {
		ps, err := s.Catalog(r.PathValue("shop"))
		respond(w, http.StatusOK, map[string]any{"products": ps}, err)
	})
	mux.HandleFunc("POST /sim/shops/{shop}/products", func(w http.ResponseWriter, r *http.Request) {
		var in ProductInput
		if !decodeBody(w, r, &in) {
			return
		}
		p, err := s.CreateProduct(r.PathValue("shop"), in)
		respond(w, http.StatusCreated, p, err)
	})
	mux.HandleFunc("PATCH /sim/shops/{shop}/products/{id}", func(w http.ResponseWriter, r *http.Request) {
		var in ProductInput
		if !decodeBody(w, r, &in) {
			return
		}
		p, err := s.UpdateProduct(r.PathValue("shop"), r.PathValue("id"), in)
		respond(w, http.StatusOK, p, err)
	})
	mux.HandleFunc("DELETE /sim/shops/{shop}/products/{id}", func(w http.ResponseWriter, r *http.Request) {
		err := s.DeleteProduct(r.PathValue("shop"), r.PathValue("id"))
		respond(w, http.StatusOK, map[string]any{"deleted": r.PathValue("id")}, err)
	})
	mux.HandleFunc("GET /sim/shops/{shop}/locations", func(w http.ResponseWriter, r *http.Request) {
		ls, err := s.Locations(r.PathValue("shop"))
		respond(w, http.StatusOK, map[string]any{"locations": ls}, err)
	})
	mux.HandleFunc("POST /sim/shops/{shop}/orders", func(w http.ResponseWriter, r *http.Request) {
		var in OrderInput
		if !decodeBody(w, r, &in) {
			return
		}
		o, err := s.CreateOrder(r.PathValue("shop"), in)
		respond(w, http.StatusCreated, o, err)
	})
	mux.HandleFunc("PATCH /sim/shops/{shop}/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		var in OrderUpdate
		if !decodeBody(w, r, &in) {
			return
		}
		o, err := s.UpdateOrder(r.PathValue("shop"), r.PathValue("id"), in)
		respond(w, http.StatusOK, o, err)
	})
	mux.HandleFunc("GET /sim/shops/{shop}/inventory", func(w http.ResponseWriter, r *http.Request) {
		q, err := s.Quantities(r.PathValue("shop"), r.URL.Query().Get("inventoryItemId"), r.URL.Query().Get("locationId"))
		respond(w, http.StatusOK, map[string]any{"quantities": q}, err)
	})
	mux.HandleFunc("POST /sim/shops/{shop}/inventory", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			InventoryItemID string `json:"inventoryItemId"`
			LocationID      string `json:"locationId"`
			Name            string `json:"name"`
			Quantity        int    `json:"quantity"`
		}
		if !decodeBody(w, r, &in) {
			return
		}
		err := s.SetStock(r.PathValue("shop"), in.InventoryItemID, in.LocationID, in.Name, in.Quantity)
		respond(w, http.StatusOK, map[string]any{"ok": true}, err)
	})
	mux.HandleFunc("GET /sim/shops/{shop}/faults", func(w http.ResponseWriter, r *http.Request) {
		f, err := s.Faults(r.PathValue("shop"))
		respond(w, http.StatusOK, faultsToJSON(f), err)
	})
	mux.HandleFunc("PUT /sim/shops/{shop}/faults", func(w http.ResponseWriter, r *http.Request) {
		var in faultsJSON
		if !decodeBody(w, r, &in) {
			return
		}
		f, err := in.faults()
		if err != nil {
			writeAdminError(w, http.StatusUnprocessableEntity, err)
			return
		}
		err = s.SetFaults(r.PathValue("shop"), f)
		respond(w, http.StatusOK, faultsToJSON(f), err)
	})
	mux.HandleFunc("GET /sim/shops/{shop}/stats", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.shop(r.PathValue("shop")); err != nil {
			writeAdminError(w, http.StatusNotFound, err)
			return
		}
		writeJSONResponse(w, http.StatusOK, s.Stats(r.PathValue("shop")))
	})
	mux.HandleFunc("DELETE /sim/shops/{shop}/stats", func(w http.ResponseWriter, r *http.Request) {
		err := s.ResetStats(r.PathValue("shop"))
		respond(w, http.StatusOK, map[string]any{"ok": true}, err)
	})
	mux.HandleFunc("POST /sim/shops/{shop}/webhooks", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Topic       string `json:"topic"`
			CallbackURL string `json:"callbackUrl"`
		}
		if !decodeBody(w, r, &in) {
			return
		}
		err := s.Subscribe(r.PathValue("shop"), in.Topic, in.CallbackURL)
		respond(w, http.StatusCreated, map[string]any{"topic": in.Topic, "callbackUrl": in.CallbackURL}, err)
	})
	mux.HandleFunc("GET /sim/bulk/{shop}/{file}", s.serveBulkResult)
}

// faultsJSON is Faults on the wire, with durations as strings ("250ms").
type faultsJSON struct {
	ServerErrorRate      float64 `json:"serverErrorRate"`
	RateLimitRate        float64 `json:"rateLimitRate"`
	RetryAfter           string  `json:"retryAfter,omitempty"`
	Latency              string  `json:"latency,omitempty"`
	WebhookDropRate      float64 `json:"webhookDropRate"`
	WebhookDuplicateRate float64 `json:"webhookDuplicateRate"`
	WebhookReorderRate   float64 `json:"webhookReorderRate"`
	WebhookReorderDelay  string  `json:"webhookReorderDelay,omitempty"`

	BulkMutationFailAfterLines int `json:"bulkMutationFailAfterLines,omitempty"`
}

func (j faultsJSON) faults() (Faults, error) {
	f := Faults{ServerErrorRate: j.ServerErrorRate, RateLimitRate: j.RateLimitRate,
		WebhookDropRate: j.WebhookDropRate, WebhookDuplicateRate: j.WebhookDuplicateRate,
		WebhookReorderRate: j.WebhookReorderRate, BulkMutationFailAfterLines: j.BulkMutationFailAfterLines}
	if f.BulkMutationFailAfterLines < 0 {
		return f, errors.New("bulkMutationFailAfterLines must not be negative")
	}
	for _, d := range []struct {
		s   string
		dst *time.Duration
	}{{j.RetryAfter, &f.RetryAfter}, {j.Latency, &f.Latency}, {j.WebhookReorderDelay, &f.WebhookReorderDelay}} {
		if d.s == "" {
			continue
		}
		v, err := time.ParseDuration(d.s)
		if err != nil {
			return f, err
		}
		*d.dst = v
	}
	for _, r := range []float64{f.ServerErrorRate, f.RateLimitRate, f.WebhookDropRate, f.WebhookDuplicateRate, f.WebhookReorderRate} {
		if r < 0 || r > 1 {
			return f, errors.New("rates must be between 0 and 1")
		}
	}
	return f, nil
}

func faultsToJSON(f Faults) faultsJSON {
	return faultsJSON{ServerErrorRate: f.ServerErrorRate, RateLimitRate: f.RateLimitRate,
		RetryAfter: f.RetryAfter.String(), Latency: f.Latency.String(),
		WebhookDropRate: f.WebhookDropRate, WebhookDuplicateRate: f.WebhookDuplicateRate,
		WebhookReorderRate: f.WebhookReorderRate, WebhookReorderDelay: f.WebhookReorderDelay.String(),
		BulkMutationFailAfterLines: f.BulkMutationFailAfterLines}
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeAdminError(w, http.StatusBadRequest, err)
		return false
	}
	return true
}

func statusOf(err error) int {
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnknownShop) {
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}

func respond(w http.ResponseWriter, code int, v any, err error) {
	if err != nil {
		writeAdminError(w, statusOf(err), err)
		return
	}
	writeJSONResponse(w, code, v)
}

func writeAdminError(w http.ResponseWriter, code int, err error) {
	writeJSONResponse(w, code, map[string]any{"error": err.Error()})
}

func writeJSONResponse(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
