package erp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestSetStockVersionedKeepsTheNewestVersion(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	t1 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Second)

	if _, err := c.SetStockVersioned(ctx, erp.StockWrite{SKU: "MUG", Location: "WH-A", Available: 8, Version: t2}); err != nil {
		t.Fatal(err)
	}
	rec, err := c.SetStockVersioned(ctx, erp.StockWrite{SKU: "MUG", Location: "WH-A", Available: 10, Version: t1})
	if !errors.Is(err, erp.ErrStaleVersion) {
		t.Fatalf("older write: err = %v, want ErrStaleVersion", err)
	}
	if rec.Available != 8 || !rec.Version.Equal(t2) {
		t.Errorf("stale write returned %+v, want the stored 8 at %s", rec, t2)
	}
	// The same second is applied: one-second versions cannot order it.
	rec, err = c.SetStockVersioned(ctx, erp.StockWrite{SKU: "MUG", Location: "WH-A", Available: 7, Version: t2, IdempotencyKey: "k1"})
	if err != nil || rec.Available != 7 {
		t.Fatalf("equal version: %+v, %v; want 7 applied", rec, err)
	}
	// A keyed write replays; an unversioned one keeps the version.
	if rec, err = c.SetStockVersioned(ctx, erp.StockWrite{SKU: "MUG", Location: "WH-A", Available: 7, Version: t2, IdempotencyKey: "k1"}); err != nil || rec.Available != 7 {
		t.Fatalf("replay: %+v, %v", rec, err)
	}
	if rec, err = c.SetStockVersioned(ctx, erp.StockWrite{SKU: "MUG", Location: "WH-A", Available: 3}); err != nil || rec.Available != 3 || !rec.Version.Equal(t2) {
		t.Fatalf("unversioned write: %+v, %v; want 3 with version %s", rec, err, t2)
	}
	if got, err := c.StockRecordOf(ctx, "MUG", "WH-A"); err != nil || got.Available != 3 {
		t.Fatalf("StockRecordOf = %+v, %v", got, err)
	}
	if got, err := c.StockRecordOf(ctx, "MUG", "WH-B"); err != nil || got.Available != 0 || !got.UpdatedAt.IsZero() {
		t.Fatalf("StockRecordOf(missing) = %+v, %v; want an empty record", got, err)
	}
}

func TestStockExportAndChecksums(t *testing.T) {
	sim, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	for i := range 25 {
		for _, loc := range []string{"WH-B", "WH-A", "WH-X"} {
			sim.SetStockLevel(fmt.Sprintf("SKU-%03d", i), loc, i)
		}
	}
	// Every record of WH-A and WH-B, in order, over pages.
	var all []erp.StockRecord
	q := erp.StockExportQuery{Locations: []string{"WH-A", "WH-B"}, Limit: 7}
	for {
		page, err := c.ExportStock(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Records...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if len(all) != 50 || all[0].SKU != "SKU-000" || all[0].Location != "WH-A" || all[49].SKU != "SKU-024" || all[49].Location != "WH-B" {
		t.Fatalf("export: %d records, first %+v, last %+v", len(all), all[0], all[len(all)-1])
	}

	// The ERP's checksums equal the ones computed from the export.
	ranges := []erp.SKURange{{From: "", To: "SKU-010"}, {From: "SKU-010", To: ""}}
	sums, err := c.StockChecksums(ctx, []string{"WH-A", "WH-B"}, ranges)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range ranges {
		h := erp.NewStockHasher()
		for _, rec := range all {
			if r.Contains(rec.SKU) {
				h.Add(rec.SKU, rec.Location, rec.Available)
			}
		}
		if want := h.Sum(r); sums[i] != want {
			t.Errorf("range %v: ERP says %+v, export gives %+v", r, sums[i], want)
		}
	}
	if sums[0].Count != 20 || sums[1].Count != 30 {
		t.Errorf("counts %d and %d, want 20 and 30", sums[0].Count, sums[1].Count)
	}
	// One change changes exactly its range's checksum.
	sim.SetStockLevel("SKU-012", "WH-A", 99)
	again, err := c.StockChecksums(ctx, []string{"WH-A", "WH-B"}, ranges)
	if err != nil {
		t.Fatal(err)
	}
	if again[0] != sums[0] || again[1].Checksum == sums[1].Checksum {
		t.Errorf("after a change: %+v, before %+v", again, sums)
	}
}

// The checksum is part of the ERP contract: pin it.
func TestStockHasherIsTheContract(t *testing.T) {
	h := erp.NewStockHasher()
	h.Add("SKU-1", "WH-A", 10)
	h.Add("SKU-1", "WH-B", -2)
	got := h.Sum(erp.SKURange{From: "SKU-1", To: "SKU-2"})
	// printf 'SKU-1\x1fWH-A\x1f10\nSKU-1\x1fWH-B\x1f-2\n' | sha256sum | cut -c1-32
	if want := "e9054be72881cd003b93aed39738d1a7"; got.Checksum != want || got.Count != 2 {
		t.Errorf("checksum %s count %d, want %s and 2", got.Checksum, got.Count, want)
	}
}
