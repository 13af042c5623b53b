package admin

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// UnsignedInt64 is Shopify's UnsignedInt64 scalar. Shopify sends it as a
// JSON string (it may exceed what JavaScript numbers hold exactly); a
// plain JSON number is accepted too.
type UnsignedInt64 uint64

// UnmarshalJSON accepts "123", 123 and null (left as zero).
func (u *UnsignedInt64) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("admin: UnsignedInt64 %s: %w", b, err)
	}
	*u = UnsignedInt64(v)
	return nil
}

// MarshalJSON writes the value as a JSON string, as Shopify does.
func (u UnsignedInt64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(uint64(u), 10) + `"`), nil
}

// FieldPath is a user error's field: the path to the input field at fault,
// e.g. ["input", "quantities", "0", "quantity"]. The schema makes it a
// list of strings; numbers (list indexes) are accepted too and turned into
// their decimal form, so that an index is never a decoding failure.
type FieldPath []string

// UnmarshalJSON accepts a list of strings and numbers, or null.
func (p *FieldPath) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("admin: user error field %s: %w", b, err)
	}
	if raw == nil {
		*p = nil
		return nil
	}
	out := make(FieldPath, len(raw))
	for i, r := range raw {
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			out[i] = s
			continue
		}
		var n json.Number
		if err := json.Unmarshal(r, &n); err != nil {
			return fmt.Errorf("admin: user error field %s: %w", b, err)
		}
		out[i] = n.String()
	}
	*p = out
	return nil
}
