package erpsim

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
)

// FieldValue is a typed value of one field.
type FieldValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// FieldChange is one field a backfill changes, with its value before and
// after.
type FieldChange struct {
	Item    string      `json:"item"`
	Field   string      `json:"field"`
	Before  *FieldValue `json:"before"`
	After   *FieldValue `json:"after"`
	Outcome string      `json:"outcome,omitempty"`
	Error   string      `json:"error,omitempty"`
}

// BackfillRecord is what one batch of a backfill recorded.
type BackfillRecord struct {
	Backfill string        `json:"backfill"`
	Batch    int           `json:"batch"`
	Items    int           `json:"items"`
	Changes  []FieldChange `json:"changes"`
}

// Limits of the backfill record store.
const (
	maxRecordChanges = 5000
	maxRecordsPage   = 100
)

// merge adds in's changes to r: a field already recorded keeps its Before
// and After (the first attempt's snapshot wins) and takes in's Outcome and
// Error when given; a new field is appended.
func (r *BackfillRecord) merge(in BackfillRecord) {
	index := make(map[[2]string]int, len(r.Changes))
	for i, c := range r.Changes {
		index[[2]string{c.Item, c.Field}] = i
	}
	for _, c := range in.Changes {
		if i, ok := index[[2]string{c.Item, c.Field}]; ok {
			if c.Outcome != "" {
				r.Changes[i].Outcome, r.Changes[i].Error = c.Outcome, c.Error
			}
			continue
		}
		index[[2]string{c.Item, c.Field}] = len(r.Changes)
		r.Changes = append(r.Changes, c)
	}
	r.Items = max(r.Items, in.Items)
}

// BackfillRecords returns every record of a backfill in batch order.
func (s *Server) BackfillRecords(backfill string) []BackfillRecord {
	s.backfill.mu.Lock()
	defer s.backfill.mu.Unlock()
	var out []BackfillRecord
	for _, r := range s.backfill.records[backfill] {
		cp := *r
		cp.Changes = slices.Clone(r.Changes)
		out = append(out, cp)
	}
	slices.SortFunc(out, func(a, b BackfillRecord) int { return cmp.Compare(a.Batch, b.Batch) })
	return out
}

// handlePutBackfillRecord answers PUT /v1/backfill-records/{backfill}/{batch}:
// it merges the body into the batch's record and returns the result, so
// that repeating a request changes nothing.
func (s *Server) handlePutBackfillRecord(r *http.Request, body []byte) response {
	var in BackfillRecord
	if errResp := decodeJSON(body, &in); errResp != nil {
		return *errResp
	}
	backfill := r.PathValue("backfill")
	batch, err := strconv.Atoi(r.PathValue("batch"))
	if err != nil || batch < 0 {
		return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "batch must be a non-negative integer")
	}
	var problems []string
	if in.Backfill != "" && in.Backfill != backfill || in.Batch != batch {
		problems = append(problems, "backfill and batch in the body differ from the path")
	}
	if len(in.Changes) > maxRecordChanges {
		problems = append(problems, "at most 5000 changes per record")
	}
	for _, c := range in.Changes {
		if c.Item == "" || c.Field == "" {
			problems = append(problems, "every change needs an item and a field")
			break
		}
	}
	if len(problems) > 0 {
		return validationError(problems)
	}
	in.Backfill = backfill
	s.backfill.mu.Lock()
	defer s.backfill.mu.Unlock()
	batches := s.backfill.records[backfill]
	if batches == nil {
		batches = map[int]*BackfillRecord{}
		s.backfill.records[backfill] = batches
	}
	rec := batches[batch]
	if rec == nil {
		rec = &BackfillRecord{Backfill: backfill, Batch: batch, Changes: []FieldChange{}}
		batches[batch] = rec
	}
	if len(rec.Changes)+len(in.Changes) > 2*maxRecordChanges {
		return validationError([]string{"the batch's record is full"})
	}
	rec.merge(in)
	return jsonResponse(http.StatusOK, rec)
}

// handleListBackfillRecords answers GET
// /v1/backfill-records/{backfill}?after_batch=N&limit=M.
func (s *Server) handleListBackfillRecords(r *http.Request, _ []byte) response {
	q := r.URL.Query()
	after := -1
	if v := q.Get("after_batch"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "after_batch must be an integer")
		}
		after = n
	}
	limit := maxRecordsPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return errorResponse(http.StatusBadRequest, CodeInvalidRequest, "limit must be a positive integer")
		}
		limit = min(n, maxRecordsPage)
	}
	all := s.BackfillRecords(r.PathValue("backfill"))
	out := []BackfillRecord{}
	for _, rec := range all {
		if rec.Batch > after {
			out = append(out, rec)
		}
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return jsonResponse(http.StatusOK, map[string]any{"records": out, "more": more})
}
