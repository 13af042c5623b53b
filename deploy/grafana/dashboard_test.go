// Package grafana_test checks that shopflow's Grafana dashboard queries
// only metrics that shopflow's code really exports, so that a renamed
// metric cannot leave a panel silently empty.
package grafana_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shopflow/shopflow/internal/downstream"
	"github.com/shopflow/shopflow/internal/workermetrics"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/starter/ingress"
	"github.com/shopflow/shopflow/starter/reconcile"
	"github.com/shopflow/shopflow/worker/wiring"
	"github.com/shopflow/shopflow/workflows"
)

// collecting is a Registerer that keeps what is registered on it.
type collecting struct{ collectors []prometheus.Collector }

func (c *collecting) Register(col prometheus.Collector) error {
	c.collectors = append(c.collectors, col)
	return nil
}
func (c *collecting) MustRegister(cols ...prometheus.Collector) {
	c.collectors = append(c.collectors, cols...)
}
func (c *collecting) Unregister(prometheus.Collector) bool { return false }

var fqName = regexp.MustCompile(`fqName: "([a-z_:]+)"`)

// exported returns the names of every metric shopflow's processes export.
func exported(t *testing.T) map[string]bool {
	reg := &collecting{}
	ingress.NewMetrics(reg)
	if _, err := admin.NewMetrics(reg); err != nil {
		t.Fatal(err)
	}
	workermetrics.New(reg)
	downstream.NewMetrics(reg)
	reg.MustRegister(deadletters.NewDepthCollector(deadletters.New(nil, deadletters.Options{}), deadletters.DepthOptions{}))
	reg.MustRegister(reconcile.NewCollector(nil, 0, nil))
	// Whatever the activities of every queue register (reconciliation,
	// backfills), exactly as the worker does.
	for _, q := range wiring.Queues() {
		wiring.Register(noRegistry{}, q, wiring.Deps{Config: workflows.DefaultConfig, Metrics: reg})
	}

	names := map[string]bool{}
	ch := make(chan *prometheus.Desc, 64)
	go func() {
		for _, c := range reg.collectors {
			c.Describe(ch)
		}
		close(ch)
	}()
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			names[m[1]] = true
		}
	}
	for _, name := range workermetrics.SDKMetrics {
		names[name] = true
	}
	return names
}

// noRegistry accepts workflows and activities and does nothing with them.
type noRegistry struct{ worker.Registry }

func (noRegistry) RegisterWorkflow(any)                                      {}
func (noRegistry) RegisterWorkflowWithOptions(any, workflow.RegisterOptions) {}
func (noRegistry) RegisterActivity(any)                                      {}
func (noRegistry) RegisterActivityWithOptions(any, activity.RegisterOptions) {}

// metricName finds metric names in a query; names in quotes (label values
// such as outcome="temporal_unavailable") are not metrics.
var metricName = regexp.MustCompile(`(?:^|[^"|a-z_])((?:shopflow|shopify|temporal)_[a-z_]+)`)

func TestDashboardQueriesExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile("dashboards/shopflow.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	names := exported(t)
	if len(names) < 5 {
		t.Fatalf("found only %d exported metrics: %v", len(names), names)
	}
	queried := 0
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			for _, m := range metricName.FindAllStringSubmatch(target.Expr, -1) {
				name := m[1]
				queried++
				base := name
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					base = strings.TrimSuffix(base, suffix)
				}
				if !names[name] && !names[base] {
					t.Errorf("panel %q queries %s, which no shopflow process exports", p.Title, name)
				}
			}
		}
	}
	if queried == 0 {
		t.Fatal("the dashboard queries no shopflow metric")
	}
}
