package backfill_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/shopflow/shopflow/internal/testenv"
	"github.com/shopflow/shopflow/simulators/erpsim"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
	"github.com/shopflow/shopflow/workflows/backfill"
)

// fixture is a stack whose Shopify catalog and ERP product master are
// seeded so that a metafields backfill has every case to handle: products
// the ERP does not know, partial master data, metafields already right,
// wrong ones, and metafields of other namespaces it must not touch.
type fixture struct {
	s        *testenv.Stack
	temporal client.Client // f.s.Temporal unless a test encrypts as a subprocess does
	queue    string
	products []string // GIDs, in ID order
	masters  map[string]erpsim.ProductMaster
}

// field is one expected change: product, metafield and value written.
type field struct{ item, field, value string }

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	s := testenv.NewStack(t, testenv.Options{})
	f := &fixture{s: s, temporal: s.Temporal, queue: s.TaskQueue + "-backfill", masters: map[string]erpsim.ProductMaster{}}
	if err := s.Shopify.SeedCatalog(s.Shop, shopifysim.SeedOptions{Products: n}); err != nil {
		t.Fatal(err)
	}
	catalog, err := s.Shopify.Catalog(s.Shop)
	if err != nil {
		t.Fatal(err)
	}
	countries := []string{"PT", "VN", "IT", "TR"}
	for i, p := range catalog {
		f.products = append(f.products, p.ID)
		var id int64
		fmt.Sscanf(p.ID, "gid://shopify/Product/%d", &id)
		switch {
		case i%10 == 0: // unknown to the ERP
		case i%10 == 1:
			f.putMaster(t, p.ID, erpsim.ProductMaster{ShopifyProductID: id, Material: fmt.Sprintf("linen-%d", i%3)})
		default:
			f.putMaster(t, p.ID, erpsim.ProductMaster{ShopifyProductID: id, Material: fmt.Sprintf("cotton-%d", i%3),
				CountryOfOrigin: countries[i%len(countries)], HSCode: fmt.Sprintf("6109.%02d", i%90+10)})
		}
		if i%5 == 2 { // already right
			f.setMetafield(t, p.ID, "erp", "material", f.masters[p.ID].Material)
		}
		if i%7 == 3 { // wrong
			f.setMetafield(t, p.ID, "erp", "hs_code", "0000.00")
		}
		if i%4 == 0 { // not ours
			f.setMetafield(t, p.ID, "custom", "care", "wash cold")
		}
	}
	return f
}

func (f *fixture) putMaster(t *testing.T, gid string, m erpsim.ProductMaster) {
	t.Helper()
	if _, err := f.s.ERP.PutProductMaster(m); err != nil {
		t.Fatal(err)
	}
	f.masters[gid] = m
}

func (f *fixture) setMetafield(t *testing.T, gid, ns, key, value string) {
	t.Helper()
	if value == "" {
		return
	}
	err := f.s.Shopify.SetProductMetafield(f.s.Shop, shopifysim.Metafield{OwnerID: gid, Namespace: ns, Key: key, Type: "single_line_text_field", Value: value})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot is every product metafield of the shop, by product.
func (f *fixture) snapshot(t *testing.T) map[string][]shopifysim.Metafield {
	t.Helper()
	m, err := f.s.Shopify.ProductMetafields(f.s.Shop, "")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// expected computes, from the snapshot and the ERP master, which erp
// metafields a backfill must write, sorted.
func (f *fixture) expected(snap map[string][]shopifysim.Metafield) []field {
	var out []field
	for _, gid := range f.products {
		m, ok := f.masters[gid]
		if !ok {
			continue
		}
		for _, kv := range [][2]string{{"country_of_origin", m.CountryOfOrigin}, {"hs_code", m.HSCode}, {"material", m.Material}} {
			if kv[1] == "" {
				continue
			}
			have := ""
			for _, mf := range snap[gid] {
				if mf.Namespace == "erp" && mf.Key == kv[0] {
					have = mf.Value
				}
			}
			if have != kv[1] {
				out = append(out, field{gid, "erp." + kv[0], kv[1]})
			}
		}
	}
	sortFields(out)
	return out
}

func sortFields(fs []field) {
	slices.SortFunc(fs, func(a, b field) int {
		return strings.Compare(a.item+"|"+a.field, b.item+"|"+b.field)
	})
}

// recorded returns the changes the store holds for a backfill with the
// given outcome, sorted.
func (f *fixture) recorded(backfillID, outcome string) []field {
	var out []field
	for _, rec := range f.s.ERP.BackfillRecords(backfillID) {
		for _, c := range rec.Changes {
			if c.Outcome == outcome && c.After != nil {
				out = append(out, field{c.Item, c.Field, c.After.Value})
			}
		}
	}
	sortFields(out)
	return out
}

// startWorker starts a backfill worker in the test process.
func (f *fixture) startWorker(t *testing.T) worker.Worker {
	t.Helper()
	w := worker.New(f.temporal, f.queue, worker.Options{})
	wiring.Register(w, wiring.Backfill, f.s.Deps(testenv.Options{}))
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return w
}

// start starts a metafields backfill called name.
func (f *fixture) start(t *testing.T, name string, p backfill.Params) client.WorkflowRun {
	t.Helper()
	p.Shop = f.s.Shop
	run, err := f.temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID: workflows.BackfillWorkflowID("metafields", f.s.Shop, name), TaskQueue: f.queue,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, "BackfillMetafields", backfill.Input{Params: p})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// wait waits for the latest run of a backfill and returns its result.
func (f *fixture) wait(t *testing.T, id string) backfill.Progress {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var p backfill.Progress
	if err := f.temporal.GetWorkflow(ctx, id, "").Get(ctx, &p); err != nil {
		t.Fatalf("backfill %s: %v", id, err)
	}
	return p
}

func containsMetafield(list []shopifysim.Metafield, m shopifysim.Metafield) bool {
	for _, x := range list {
		if x.Namespace == m.Namespace && x.Key == m.Key && x.Type == m.Type && x.Value == m.Value {
			return true
		}
	}
	return false
}

// Run `go test ./workflows/backfill -run . -record-histories` after a
// deliberate, versioned change to the backfill workflows to refresh their
// recorded histories, which workflows.TestReplayRecordedHistories replays.
var recordHistories = flag.Bool("record-histories", false, "write the histories of the backfill workflows to ../testdata/histories")

// recordHistory saves the latest run's history of a workflow for the
// replay test, when -record-histories is set.
func (f *fixture) recordHistory(t *testing.T, workflowID, name string) {
	t.Helper()
	if *recordHistories {
		testenv.RecordHistory(t, f.temporal, workflowID, filepath.Join("..", "testdata", "histories"), name)
	}
}

// metric returns the value of the stack's metric name with the given
// labels (a subset of its labels), and whether there is one.
func (f *fixture) metric(t *testing.T, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	families, err := f.s.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, fam := range families {
		if fam.GetName() != name {
			continue
		}
	next:
		for _, m := range fam.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue next
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue(), true
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}
