// Package prometheus_test checks shopflow's Prometheus alerting rules with
// promtool: their syntax, and their behaviour on the series in
// alerts_test.yml.
package prometheus_test

import (
	"os/exec"
	"testing"
)

// promtool returns the path of promtool, failing the test with what to do
// if it is missing: the rules are never left untested silently.
func promtool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool not found: run `make tools` (installs Debian's prometheus package)")
	}
	return path
}

func TestAlertRulesAreValid(t *testing.T) {
	out, err := exec.Command(promtool(t), "check", "rules", "alerts.yml").CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}

func TestAlertRules(t *testing.T) {
	out, err := exec.Command(promtool(t), "test", "rules", "alerts_test.yml").CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
