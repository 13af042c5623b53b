package activities

import (
	"reflect"
	"testing"

	"github.com/shopflow/shopflow/erp"
)

func TestDiffFields(t *testing.T) {
	text := func(v string) erp.FieldValue { return erp.FieldValue{Type: "single_line_text_field", Value: v} }
	item := BackfillItem{
		ID: "p1",
		Current: Fields{
			"erp.material": text("wool"),    // differs
			"erp.hs_code":  text("6109.10"), // same
			"erp.other":    text("kept"),    // not wanted: left alone
			"erp.typed":    {Type: "number_integer", Value: "1"},
		},
		Want: Fields{
			"erp.material":          text("linen"),
			"erp.hs_code":           text("6109.10"),
			"erp.country_of_origin": text("PT"), // missing: created
			"erp.typed":             text("1"),  // same value, other type
		},
	}
	wool, one := text("wool"), erp.FieldValue{Type: "number_integer", Value: "1"}
	linen, pt, textOne := text("linen"), text("PT"), text("1")
	want := []erp.FieldChange{
		{Item: "p1", Field: "erp.country_of_origin", Before: nil, After: &pt},
		{Item: "p1", Field: "erp.material", Before: &wool, After: &linen},
		{Item: "p1", Field: "erp.typed", Before: &one, After: &textOne},
	}
	if got := DiffFields(item); !reflect.DeepEqual(got, want) {
		t.Fatalf("DiffFields = %+v, want %+v", got, want)
	}
	if got := DiffFields(BackfillItem{ID: "p2", Current: Fields{"a.b": text("x")}, Want: Fields{"a.b": text("x")}}); len(got) != 0 {
		t.Fatalf("an item already right has changes: %+v", got)
	}
}

func TestSummarizeCountsItems(t *testing.T) {
	rec := erp.BackfillRecord{Changes: []erp.FieldChange{
		{Item: "p1", Field: "a", Outcome: OutcomeChanged},
		{Item: "p1", Field: "b", Outcome: OutcomeChanged},
		{Item: "p2", Field: "a", Outcome: OutcomeFailed},
		{Item: "p2", Field: "b", Outcome: OutcomeChanged}, // an item with a failure is failed
		{Item: "p3", Field: "a", Outcome: OutcomeChanged},
	}}
	res := summarize(rec, OutcomeChanged)
	if res.Changed != 2 || res.Failed != 1 || res.Fields != 4 || len(res.Sample) != sampleSize {
		t.Fatalf("summarize = %+v", res)
	}
}
