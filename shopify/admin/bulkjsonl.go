package admin

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// BulkRow is one line of a bulk operation's JSONL result: one object.
// Since 2026-01 the rows are not grouped by parent: a nested object (a
// variant of a product, a metafield of a variant) carries its parent's id
// in __parentId and may come before or long after its parent.
type BulkRow struct {
	// Line is the 1-based line number in the file.
	Line int
	// ID is the object's "id", if the query selected it.
	ID string
	// ParentID is "__parentId": the id of the object this one is nested
	// in, or "" for a top-level object.
	ParentID string
	// Typename is "__typename", if the query selected it.
	Typename string
	// Raw is the whole line; it belongs to the row.
	Raw json.RawMessage
}

// Decode unmarshals the row into v.
func (r BulkRow) Decode(v any) error { return json.Unmarshal(r.Raw, v) }

// ReadBulkJSONL streams the rows of a bulk result to fn, one at a time, in
// file order, holding only the current line in memory. A row's parent may
// not have been seen yet (or may never be, if the file is partial): a
// caller that needs objects whole should store rows by ParentID (e.g.
// upsert them) or, when the result fits in memory, use GroupBulkJSONL.
// It stops at the first error from fn or from reading.
func ReadBulkJSONL(r io.Reader, fn func(BulkRow) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			row, perr := parseBulkRow(b, line)
			if perr != nil {
				return perr
			}
			if ferr := fn(row); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("admin: reading bulk result line %d: %w", line, err)
		}
	}
}

func parseBulkRow(b []byte, line int) (BulkRow, error) {
	var head struct {
		ID       string `json:"id"`
		ParentID string `json:"__parentId"`
		Typename string `json:"__typename"`
	}
	b = bytes.TrimSpace(b)
	if err := json.Unmarshal(b, &head); err != nil {
		return BulkRow{}, fmt.Errorf("admin: bulk result line %d: %w", line, err)
	}
	return BulkRow{Line: line, ID: head.ID, ParentID: head.ParentID, Typename: head.Typename, Raw: b}, nil
}

// BulkObject is a bulk row with the rows nested in it, in file order.
type BulkObject struct {
	BulkRow
	Children []*BulkObject
}

// ErrBulkTooLarge is returned by GroupBulkJSONL when the result has more
// rows than the caller allowed.
var ErrBulkTooLarge = errors.New("admin: bulk result has more rows than allowed")

// OrphanRowsError is returned by GroupBulkJSONL when rows name a parent
// that is not in the file. The grouped objects are returned with it.
type OrphanRowsError struct {
	Count int
	First BulkRow
}

// Error describes the first orphan.
func (e *OrphanRowsError) Error() string {
	return fmt.Sprintf("admin: %d bulk rows have no parent in the file (first: line %d, parent %s)", e.Count, e.First.Line, e.First.ParentID)
}

// GroupBulkJSONL reads a whole bulk result and nests every row under its
// parent, whatever their order in the file. It holds every row in memory,
// so it takes the most rows the caller accepts (maxRows ≤ 0: no limit) and
// fails with ErrBulkTooLarge beyond. It returns the top-level objects in
// file order; rows whose parent is missing are reported by an
// *OrphanRowsError alongside the result.
func GroupBulkJSONL(r io.Reader, maxRows int) ([]*BulkObject, error) {
	var all []*BulkObject
	byID := make(map[string]*BulkObject)
	err := ReadBulkJSONL(r, func(row BulkRow) error {
		if maxRows > 0 && len(all) >= maxRows {
			return fmt.Errorf("%w (%d)", ErrBulkTooLarge, maxRows)
		}
		o := &BulkObject{BulkRow: row}
		all = append(all, o)
		if row.ID != "" {
			byID[row.ID] = o
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var roots []*BulkObject
	var orphans *OrphanRowsError
	for _, o := range all {
		if o.ParentID == "" {
			roots = append(roots, o)
			continue
		}
		p, ok := byID[o.ParentID]
		if !ok {
			if orphans == nil {
				orphans = &OrphanRowsError{First: o.BulkRow}
			}
			orphans.Count++
			continue
		}
		p.Children = append(p.Children, o)
	}
	if orphans != nil {
		return roots, orphans
	}
	return roots, nil
}
