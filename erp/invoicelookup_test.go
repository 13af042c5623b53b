package erp_test

import (
	"context"
	"testing"

	"github.com/shopflow/shopflow/simulators/erpsim"
)

func TestInvoicesOf(t *testing.T) {
	_, c := startERP(t, erpsim.Options{})
	ctx := context.Background()
	got, err := c.InvoicesOf(ctx, "acme.myshopify.com", 7)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("InvoicesOf(uninvoiced) = %v, %v; want an empty slice", got, err)
	}
	inv, err := c.CreateInvoice(ctx, "acme:7:invoice", invoiceFor(7, "48.48"))
	if err != nil {
		t.Fatal(err)
	}
	got, err = c.InvoicesOf(ctx, "acme.myshopify.com", 7)
	if err != nil || len(got) != 1 || got[0].ID != inv.ID {
		t.Fatalf("InvoicesOf = %+v, %v; want the one invoice %s", got, err, inv.ID)
	}
	if other, _ := c.InvoicesOf(ctx, "other.myshopify.com", 7); len(other) != 0 {
		t.Errorf("another shop's order 7 has %d invoices, want 0", len(other))
	}
}
