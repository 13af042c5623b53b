package prometheus_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// readmeURL is where every runbook_url points: a section of the README.
const readmeURL = "https://github.com/shopflow/shopflow/blob/main/README.md#"

type ruleFile struct {
	Groups []struct {
		Name  string
		Rules []struct {
			Alert       string
			Expr        string
			For         string
			Labels      map[string]string
			Annotations map[string]string
		}
	}
}

func readRules(t *testing.T, path string) ruleFile {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// Done-when 2: every rule is shown firing on a bad series and quiet on a
// good one by alerts_test.yml; a rule added without both fails here.
func TestEveryRuleIsTestedFiringAndQuiet(t *testing.T) {
	raw, err := os.ReadFile("alerts_test.yml")
	if err != nil {
		t.Fatal(err)
	}
	var tests struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string
				ExpAlerts []map[string]any `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		}
	}
	if err := yaml.Unmarshal(raw, &tests); err != nil {
		t.Fatal(err)
	}
	firing, quiet := map[string]bool{}, map[string]bool{}
	for _, tc := range tests.Tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) > 0 {
				firing[a.Alertname] = true
			} else {
				quiet[a.Alertname] = true
			}
		}
	}
	n := 0
	for _, g := range readRules(t, "alerts.yml").Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			n++
			if !firing[r.Alert] {
				t.Errorf("%s: no test shows it firing", r.Alert)
			}
			if !quiet[r.Alert] {
				t.Errorf("%s: no test shows it quiet", r.Alert)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d alerts in alerts.yml", n)
	}
}

// Every alert carries a severity, a summary, a description and a
// runbook_url naming a section of the README that exists.
func TestEveryAlertHasARunbook(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#{1,6} +(.+)$`).FindAllStringSubmatch(string(readme), -1) {
		anchors[anchor(m[1])] = true
	}
	for _, g := range readRules(t, "alerts.yml").Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			for _, k := range []string{"summary", "description", "runbook_url"} {
				if r.Annotations[k] == "" {
					t.Errorf("%s has no %s", r.Alert, k)
				}
			}
			if s := r.Labels["severity"]; s != "warning" && s != "critical" {
				t.Errorf("%s: severity %q, want warning or critical", r.Alert, s)
			}
			url := r.Annotations["runbook_url"]
			if url != readmeURL+strings.ToLower(r.Alert) {
				t.Errorf("%s: runbook_url %q, want %s", r.Alert, url, readmeURL+strings.ToLower(r.Alert))
			}
			if !anchors[strings.ToLower(r.Alert)] {
				t.Errorf("%s: the README has no section %q for its runbook", r.Alert, r.Alert)
			}
		}
	}
}

// anchor is GitHub's anchor of a heading: lower case, punctuation but
// hyphens dropped, spaces as hyphens.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}
