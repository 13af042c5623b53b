package gql

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Map is a result object: a JSON object that keeps its keys in selection
// order.
type Map struct {
	keys []string
	vals []any
	// id is the id of the model value the map was made from.
	id string
	// conn marks a connection's result.
	conn bool
}

// Set sets key k, keeping its place if it is there already.
func (m *Map) Set(k string, v any) {
	for i, kk := range m.keys {
		if kk == k {
			m.vals[i] = v
			return
		}
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

// Get returns the value of key k, or nil.
func (m *Map) Get(k string) any {
	for i, kk := range m.keys {
		if kk == k {
			return m.vals[i]
		}
	}
	return nil
}

// Delete removes key k.
func (m *Map) Delete(k string) {
	for i, kk := range m.keys {
		if kk == k {
			m.keys = append(m.keys[:i], m.keys[i+1:]...)
			m.vals = append(m.vals[:i], m.vals[i+1:]...)
			return
		}
	}
}

// Len is the number of keys.
func (m *Map) Len() int { return len(m.keys) }

// At returns the i-th key and its value.
func (m *Map) At(i int) (string, any) { return m.keys[i], m.vals[i] }

// ID is the id Resolver.Identify gave the model value the map was made
// from, or "".
func (m *Map) ID() string { return m.id }

// IsConnection reports whether the map is a connection's result, which
// bulk output turns into rows.
func (m *Map) IsConnection() bool { return m.conn }

// WriteJSON encodes v, keeping Map keys in order. It handles the value
// kinds the executor produces directly and falls back to encoding/json
// for the rest.
func WriteJSON(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case *Map:
		buf.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, k)
			buf.WriteByte(':')
			WriteJSON(buf, x.vals[i])
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			WriteJSON(buf, e)
		}
		buf.WriteByte(']')
	case string:
		writeString(buf, x)
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case int:
		buf.WriteString(strconv.Itoa(x))
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	default:
		b, err := json.Marshal(x)
		if err != nil {
			buf.WriteString("null")
			return
		}
		buf.Write(b)
	}
}

func writeString(buf *bytes.Buffer, s string) {
	simple := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f || c == '<' || c == '>' || c == '&' {
			simple = false
			break
		}
	}
	if simple {
		buf.WriteByte('"')
		buf.WriteString(s)
		buf.WriteByte('"')
		return
	}
	b, _ := json.Marshal(s)
	buf.Write(b)
}
