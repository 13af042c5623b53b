package admin

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestFieldPathAcceptsIndexes(t *testing.T) {
	var p FieldPath
	if err := json.Unmarshal([]byte(`["input","quantities",0,"quantity"]`), &p); err != nil {
		t.Fatal(err)
	}
	if want := (FieldPath{"input", "quantities", "0", "quantity"}); !reflect.DeepEqual(p, want) {
		t.Errorf("got %q", p)
	}
	if err := json.Unmarshal([]byte(`null`), &p); err != nil || p != nil {
		t.Errorf("null: %v %q", err, p)
	}
	if err := json.Unmarshal([]byte(`[true]`), &p); err == nil {
		t.Error("bool accepted")
	}
}

func TestUnsignedInt64(t *testing.T) {
	var v struct{ N, M, Z UnsignedInt64 }
	if err := json.Unmarshal([]byte(`{"N":"18446744073709551615","M":12,"Z":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.N != 18446744073709551615 || v.M != 12 || v.Z != 0 {
		t.Errorf("%+v", v)
	}
	if b, _ := json.Marshal(v.M); string(b) != `"12"` {
		t.Errorf("marshal %s", b)
	}
}
