package erp_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestProductMasters(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	if _, err := c.PutProductMaster(ctx, erp.ProductMaster{ShopifyProductID: 7, Material: "linen", CountryOfOrigin: "PT", HSCode: "6109.10"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.ProductMasters(ctx, []int64{7, 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[7].Material != "linen" || got[7].HSCode != "6109.10" {
		t.Fatalf("got %+v", got)
	}
	_, err = c.PutProductMaster(ctx, erp.ProductMaster{ShopifyProductID: 9, CountryOfOrigin: "Portugal"})
	var apiErr *erp.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a country that is no ISO code: %v", err)
	}
}

func TestBackfillRecordsFirstSnapshotWins(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	v := func(s string) *erp.FieldValue { return &erp.FieldValue{Type: "single_line_text_field", Value: s} }
	first := erp.BackfillRecord{Backfill: "b/1", Batch: 1, Items: 2, Changes: []erp.FieldChange{
		{Item: "p1", Field: "erp.material", Before: nil, After: v("linen")},
		{Item: "p2", Field: "erp.material", Before: v("wool"), After: v("linen")},
	}}
	if _, err := c.RecordBackfillBatch(ctx, first); err != nil {
		t.Fatal(err)
	}
	// A redone batch finds p1 written already and p2 still to do: the
	// first snapshot of p1 must survive, outcomes are taken.
	redo := erp.BackfillRecord{Backfill: "b/1", Batch: 1, Items: 2, Changes: []erp.FieldChange{
		{Item: "p2", Field: "erp.material", Before: v("linen?"), After: v("linen"), Outcome: "changed"},
		{Item: "p3", Field: "erp.hs_code", After: v("6109.10")},
	}}
	got, err := c.RecordBackfillBatch(ctx, redo)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Changes) != 3 || got.Changes[0].Before != nil || got.Changes[1].Before.Value != "wool" || got.Changes[1].Outcome != "changed" {
		t.Fatalf("merged record %+v", got.Changes)
	}
	for batch := 2; batch <= 4; batch++ {
		if _, err := c.RecordBackfillBatch(ctx, erp.BackfillRecord{Backfill: "b/1", Batch: batch}); err != nil {
			t.Fatal(err)
		}
	}
	recs, more, err := c.BackfillRecords(ctx, "b/1", 1, 2)
	if err != nil || !more || len(recs) != 2 || recs[0].Batch != 2 || recs[1].Batch != 3 {
		t.Fatalf("page after batch 1: %+v more=%v err=%v", recs, more, err)
	}
	if recs, more, _ := c.BackfillRecords(ctx, "b/1", 3, 2); more || len(recs) != 1 || recs[0].Batch != 4 {
		t.Fatalf("last page: %+v more=%v", recs, more)
	}
	_, err = c.RecordBackfillBatch(ctx, erp.BackfillRecord{Backfill: "b/1", Batch: 5, Changes: []erp.FieldChange{{Item: "", Field: "x"}}})
	var apiErr *erp.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a change without an item: %v", err)
	}
}
