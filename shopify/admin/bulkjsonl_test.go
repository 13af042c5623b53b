package admin

import (
	"errors"
	"strings"
	"testing"
)

// A result as Shopify writes it since 2026-01: children before and long
// after their parents, and a grandchild (a variant's metafield).
const bulkResult = `{"id":"gid://shopify/ProductVariant/11","sku":"A-1","__parentId":"gid://shopify/Product/1"}
{"id":"gid://shopify/Product/1","title":"A"}
{"id":"gid://shopify/Product/2","title":"B"}
{"id":"gid://shopify/Metafield/7","key":"k","__parentId":"gid://shopify/ProductVariant/21"}
{"id":"gid://shopify/ProductVariant/21","sku":"B-1","__parentId":"gid://shopify/Product/2"}

{"id":"gid://shopify/ProductVariant/12","sku":"A-2","__parentId":"gid://shopify/Product/1"}
`

func TestReadBulkJSONLStreamsRowsWithParents(t *testing.T) {
	var got []string
	err := ReadBulkJSONL(strings.NewReader(bulkResult), func(r BulkRow) error {
		got = append(got, r.ID+"<"+r.ParentID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "gid://shopify/ProductVariant/11<gid://shopify/Product/1 gid://shopify/Product/1< gid://shopify/Product/2< " +
		"gid://shopify/Metafield/7<gid://shopify/ProductVariant/21 gid://shopify/ProductVariant/21<gid://shopify/Product/2 " +
		"gid://shopify/ProductVariant/12<gid://shopify/Product/1"
	if strings.Join(got, " ") != want {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}

func TestReadBulkJSONLStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ReadBulkJSONL(strings.NewReader(bulkResult), func(BulkRow) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("err %v after %d rows", err, n)
	}
}

func TestReadBulkJSONLReportsBadLines(t *testing.T) {
	err := ReadBulkJSONL(strings.NewReader("{\"id\":\"x\"}\nnot json\n"), func(BulkRow) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v", err)
	}
}

func TestGroupBulkJSONLNestsWhateverTheOrder(t *testing.T) {
	roots, err := GroupBulkJSONL(strings.NewReader(bulkResult), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 2 || roots[0].ID != "gid://shopify/Product/1" || roots[1].ID != "gid://shopify/Product/2" {
		t.Fatalf("roots = %+v", roots)
	}
	if c := roots[0].Children; len(c) != 2 || c[0].ID != "gid://shopify/ProductVariant/11" || c[1].ID != "gid://shopify/ProductVariant/12" {
		t.Errorf("product 1 children = %+v", c)
	}
	v := roots[1].Children
	if len(v) != 1 || len(v[0].Children) != 1 || v[0].Children[0].ID != "gid://shopify/Metafield/7" {
		t.Errorf("product 2 = %+v", v)
	}
	var variant struct{ SKU string }
	if err := roots[0].Children[1].Decode(&variant); err != nil || variant.SKU != "A-2" {
		t.Errorf("decode: %v %+v", err, variant)
	}
}

func TestGroupBulkJSONLLimitsAndOrphans(t *testing.T) {
	if _, err := GroupBulkJSONL(strings.NewReader(bulkResult), 3); !errors.Is(err, ErrBulkTooLarge) {
		t.Errorf("err = %v, want ErrBulkTooLarge", err)
	}
	roots, err := GroupBulkJSONL(strings.NewReader(`{"id":"a"}`+"\n"+`{"id":"b","__parentId":"zz"}`), 0)
	var oe *OrphanRowsError
	if !errors.As(err, &oe) || oe.Count != 1 || oe.First.ParentID != "zz" || len(roots) != 1 {
		t.Errorf("err = %v, roots %d", err, len(roots))
	}
}
