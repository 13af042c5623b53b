package shopifysim

import "net/http"

func (s *Simulator) serveGraphQL(w http.ResponseWriter, r *http.Request) { http.Error(w, "todo", 501) }
func (s *Simulator) registerAdmin(mux *http.ServeMux)                    {}

type bulkOperation struct{}
