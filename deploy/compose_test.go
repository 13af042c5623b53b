// Package deploy_test checks docker-compose.yml without a container engine:
// it loads the file with the Compose specification's own parser
// (compose-go) and checks it against the repository and shopflow's real
// binaries, so that the production-like stack cannot drift from the code.
package deploy_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

const module = "github.com/shopflow/shopflow"

// stack is docker-compose.yml as loaded by compose-go, with what the test
// learns from the Dockerfile.
type stack struct {
	root     string
	project  *types.Project
	binaries map[string]string // binary name in the image -> Go package (./worker)
	copies   map[string]string // path in the image -> path in the repository
}

func load(t *testing.T) *stack {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(root, "docker-compose.yml")},
		cli.WithWorkingDirectory(root), cli.WithResolvedPaths(true), cli.WithEnv([]string{}))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	s := &stack{root: root, project: project}
	s.readDockerfile(t)
	return s
}

var goBuild = regexp.MustCompile(`go build .*-o /out/ (.+)$`)

// readDockerfile learns which binaries the image holds and which files it
// copies, failing if the Dockerfile copies a file that does not exist.
func (s *stack) readDockerfile(t *testing.T) {
	s.binaries, s.copies = map[string]string{}, map[string]string{}
	for _, svc := range s.project.Services {
		if svc.Build == nil {
			continue
		}
		path := filepath.Join(svc.Build.Context, svc.Build.Dockerfile)
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("service %s builds from %s: %v", svc.Name, path, err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if m := goBuild.FindStringSubmatch(sc.Text()); m != nil {
				for _, pkg := range strings.Fields(m[1]) {
					s.binaries[filepath.Base(pkg)] = pkg
				}
			}
			if len(fields) == 3 && fields[0] == "COPY" && !strings.HasPrefix(fields[1], "--") && fields[1] != "." {
				if _, err := os.Stat(filepath.Join(svc.Build.Context, fields[1])); err != nil {
					t.Errorf("%s copies %s, which does not exist", path, fields[1])
				}
				s.copies[fields[2]] = filepath.Join(svc.Build.Context, fields[1])
			}
		}
	}
	if len(s.binaries) == 0 {
		t.Fatal("the Dockerfile builds no binaries (no `go build -o /out/ ./...` line)")
	}
}

// ours lists the services that run shopflow's image, by name.
func (s *stack) ours() []types.ServiceConfig {
	var out []types.ServiceConfig
	for _, svc := range s.project.Services {
		if svc.Build != nil {
			out = append(out, svc)
		}
	}
	slices.SortFunc(out, func(a, b types.ServiceConfig) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Every file a service mounts, builds from or names inside a mount exists.
func TestComposeFilesExist(t *testing.T) {
	s := load(t)
	for _, svc := range s.project.Services {
		if svc.Build != nil {
			if fi, err := os.Stat(svc.Build.Context); err != nil || !fi.IsDir() {
				t.Errorf("service %s: build context %s is not a folder", svc.Name, svc.Build.Context)
			}
		}
		mounts := map[string]string{}
		for _, v := range svc.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("service %s mounts %s, which does not exist", svc.Name, v.Source)
			}
			mounts[v.Target] = v.Source
		}
		// Paths the service's command and environment name inside a
		// mount, or among the files the image copies, must exist.
		for _, word := range words(svc) {
			if host, ok := hostPath(word, mounts, s.copies, svc.Build != nil); ok {
				if _, err := os.Stat(host); err != nil {
					t.Errorf("service %s names %s, which is %s in the repository and does not exist", svc.Name, word, host)
				}
			}
		}
	}
}

// hostPath maps a path in a container to the repository's file behind it.
func hostPath(p string, mounts, copies map[string]string, ourImage bool) (string, bool) {
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	for target, source := range mounts {
		if p == target || strings.HasPrefix(p, target+"/") {
			return filepath.Join(source, strings.TrimPrefix(p, target)), true
		}
	}
	if ourImage {
		if src, ok := copies[p]; ok {
			return src, true
		}
	}
	return "", false
}

// words splits a service's entrypoint, command and environment values
// into the words and key=value halves a path or address could be.
func words(svc types.ServiceConfig) []string {
	var out []string
	add := func(s string) {
		out = append(out, strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '=' || r == ';' || r == '"' || r == '\'' })...)
	}
	for _, c := range append(append([]string{}, svc.Entrypoint...), svc.Command...) {
		add(c)
	}
	for _, v := range svc.Environment {
		if v != nil {
			add(*v)
		}
	}
	return out
}

// Every command a service of ours runs is a binary of the image, every
// subcommand and flag exists in it, every environment variable is one it
// reads, and every port it publishes is one it listens on.
func TestComposeCommandsMatchTheBinaries(t *testing.T) {
	s := load(t)
	bins := buildBinaries(t, s)
	for _, svc := range s.ours() {
		t.Run(svc.Name, func(t *testing.T) {
			if len(svc.Command) == 0 {
				t.Fatal("no command")
			}
			name := svc.Command[0]
			bin, ok := bins[name]
			if !ok {
				t.Fatalf("runs %q, which the image does not hold (it has %v)", name, keys(s.binaries))
			}
			var sub []string
			args := svc.Command[1:]
			for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
				sub, args = append(sub, args[0]), args[1:]
			}
			flags := helpFlags(t, bin, name, sub)
			for _, a := range args {
				if !strings.HasPrefix(a, "-") {
					continue
				}
				f := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-")
				if !flags[f] {
					t.Errorf("%s %s has no flag %s", name, strings.Join(sub, " "), a)
				}
			}

			read := envReadBy(t, s.root, s.binaries[name])
			for k := range svc.Environment {
				if !read[k] {
					t.Errorf("sets %s, which %s never reads", k, name)
				}
			}

			listens := listenPorts(svc)
			for _, p := range svc.Ports {
				if !listens[p.Target] {
					t.Errorf("publishes port %d, but listens on %v", p.Target, keys(listens))
				}
			}
			for _, e := range svc.Expose {
				n, _ := strconv.ParseUint(e, 10, 32)
				if !listens[uint32(n)] {
					t.Errorf("exposes port %s, but listens on %v", e, keys(listens))
				}
			}
			for p := range listens {
				if !slices.ContainsFunc(svc.Ports, func(c types.ServicePortConfig) bool { return c.Target == p }) &&
					!slices.Contains(svc.Expose, strconv.Itoa(int(p))) {
					t.Errorf("listens on %d, which it neither publishes nor exposes", p)
				}
			}
		})
	}
}

// The worker scales: several replicas, no host port of its own (two
// replicas could not both bind it), and Prometheus finds each by DNS.
func TestComposeWorkerScales(t *testing.T) {
	s := load(t)
	w, ok := s.project.Services["worker"]
	if !ok {
		t.Fatal("no worker service")
	}
	if w.Deploy == nil || w.Deploy.Replicas == nil || *w.Deploy.Replicas < 2 {
		t.Error("the worker runs as one replica; want deploy.replicas of 2 or more")
	}
	for _, p := range w.Ports {
		if p.Published != "" {
			t.Errorf("the worker publishes host port %s: replicas would collide", p.Published)
		}
	}
}

var serviceAddr = regexp.MustCompile(`^(?:https?://)?([a-z][a-z0-9-]*):(\d+)(?:/.*)?$`)

// Every address one service gives another (flags, environment, the
// Prometheus and Grafana configurations) names a service of the stack on a
// port it listens on or publishes.
func TestComposeAddressesReachServices(t *testing.T) {
	s := load(t)
	ports := func(name string) map[uint32]bool {
		svc := s.project.Services[name]
		out := listenPorts(svc)
		for _, p := range svc.Ports {
			out[p.Target] = true
		}
		for _, e := range svc.Expose {
			n, _ := strconv.ParseUint(e, 10, 32)
			out[uint32(n)] = true
		}
		return out
	}
	check := func(from, addr string) {
		m := serviceAddr.FindStringSubmatch(addr)
		if m == nil {
			return
		}
		host, port := m[1], m[2]
		if _, ok := s.project.Services[host]; !ok {
			if host != "localhost" {
				t.Errorf("%s addresses %s: no service %s", from, addr, host)
			}
			return
		}
		n, _ := strconv.ParseUint(port, 10, 32)
		if !ports(host)[uint32(n)] {
			t.Errorf("%s addresses %s, but %s listens on %v", from, addr, host, keys(ports(host)))
		}
	}
	for _, svc := range s.project.Services {
		for _, w := range words(svc) {
			check("service "+svc.Name, w)
		}
	}
	prom := s.project.Services["prometheus"]
	var cfg struct {
		Alerting struct {
			Alertmanagers []struct {
				StaticConfigs []struct{ Targets []string } `yaml:"static_configs"`
			}
		}
		ScrapeConfigs []struct {
			JobName       string                       `yaml:"job_name"`
			StaticConfigs []struct{ Targets []string } `yaml:"static_configs"`
			DNSSDConfigs  []struct {
				Names []string
				Port  int
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, mounted(t, prom, "/etc/prometheus/shopflow/prometheus.yml"), &cfg)
	targets := 0
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				targets++
				check("prometheus job "+sc.JobName, target)
			}
		}
		for _, d := range sc.DNSSDConfigs {
			for _, n := range d.Names {
				targets++
				check("prometheus job "+sc.JobName, fmt.Sprintf("%s:%d", n, d.Port))
			}
		}
	}
	for _, am := range cfg.Alerting.Alertmanagers {
		for _, st := range am.StaticConfigs {
			for _, target := range st.Targets {
				check("prometheus alerting", target)
			}
		}
	}
	// Every process of ours that serves /metrics is scraped.
	for _, svc := range []string{"starter", "worker"} {
		found := false
		for _, sc := range cfg.ScrapeConfigs {
			for _, st := range sc.StaticConfigs {
				found = found || slices.ContainsFunc(st.Targets, func(x string) bool { return strings.HasPrefix(x, svc+":") })
			}
			for _, d := range sc.DNSSDConfigs {
				found = found || slices.Contains(d.Names, svc)
			}
		}
		if !found {
			t.Errorf("Prometheus does not scrape %s", svc)
		}
	}
	var ds struct {
		Datasources []struct{ URL string } `yaml:"datasources"`
	}
	readYAML(t, mounted(t, s.project.Services["grafana"], "/etc/grafana/provisioning/datasources/prometheus.yml"), &ds)
	for _, d := range ds.Datasources {
		check("grafana datasource", d.URL)
	}
}

// The configurations the stack mounts are valid for the real programs.
func TestComposeConfigsAreValid(t *testing.T) {
	s := load(t)
	for _, c := range []struct{ tool, service, path string }{
		{"promtool", "prometheus", "/etc/prometheus/shopflow/prometheus.yml"},
		{"amtool", "alertmanager", "/etc/alertmanager/shopflow/alertmanager.yml"},
	} {
		path, err := exec.LookPath(c.tool)
		if err != nil {
			t.Fatalf("%s not found: run `make tools` (installs Debian's prometheus and prometheus-alertmanager)", c.tool)
		}
		args := []string{"check", "config", mounted(t, s.project.Services[c.service], c.path)}
		if c.tool == "amtool" {
			args = []string{"check-config", args[2]}
		}
		if out, err := exec.Command(path, args...).CombinedOutput(); err != nil {
			t.Errorf("%s %v: %v\n%s", c.tool, args, err, out)
		}
	}
}

// mounted returns the repository file behind a path in a service.
func mounted(t *testing.T, svc types.ServiceConfig, p string) string {
	t.Helper()
	mounts := map[string]string{}
	for _, v := range svc.Volumes {
		mounts[v.Target] = v.Source
	}
	host, ok := hostPath(p, mounts, nil, false)
	if !ok {
		t.Fatalf("service %s mounts nothing at %s", svc.Name, p)
	}
	return host
}

func readYAML(t *testing.T, path string, out any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

var bindAddr = regexp.MustCompile(`^(?:0\.0\.0\.0)?:(\d+)$`)

// listenPorts are the ports a service's command binds on every interface.
func listenPorts(svc types.ServiceConfig) map[uint32]bool {
	out := map[uint32]bool{}
	for _, w := range words(svc) {
		if m := bindAddr.FindStringSubmatch(w); m != nil {
			n, _ := strconv.ParseUint(m[1], 10, 32)
			out[uint32(n)] = true
		}
	}
	return out
}

// buildBinaries builds the image's binaries, as the Dockerfile does.
func buildBinaries(t *testing.T, s *stack) map[string]string {
	t.Helper()
	dir := t.TempDir()
	args := []string{"build", "-o", dir + "/"}
	for _, pkg := range s.binaries {
		args = append(args, pkg)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = s.root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
	out := map[string]string{}
	for name := range s.binaries {
		out[name] = filepath.Join(dir, name)
	}
	return out
}

var flagLine = regexp.MustCompile(`(?m)^\s+(?:-[a-zA-Z], )?--?([a-zA-Z0-9][a-zA-Z0-9-]*)`)

// helpFlags returns the flags a binary's (sub)command accepts, from its
// own --help, failing if the subcommand does not exist.
func helpFlags(t *testing.T, bin, name string, sub []string) map[string]bool {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string{}, sub...), "--help")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, _ := cmd.CombinedOutput() // Go's flag package exits 0 on -help, some 2
	text := string(out)
	if len(sub) > 0 && !strings.Contains(text, strings.Join(append([]string{name}, sub...), " ")) {
		t.Fatalf("%s has no subcommand %q:\n%s", name, strings.Join(sub, " "), text)
	}
	flags := map[string]bool{}
	for _, m := range flagLine.FindAllStringSubmatch(text, -1) {
		flags[m[1]] = true
	}
	if len(flags) == 0 {
		t.Fatalf("%s %s --help lists no flags:\n%s", name, strings.Join(sub, " "), text)
	}
	return flags
}

var stringLiteral = regexp.MustCompile(`"([A-Z][A-Z0-9_]+)"`)

// envReadBy returns the environment variable names that appear as string
// literals in the Go source of a binary's own packages: what it can read.
func envReadBy(t *testing.T, root, pkg string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if eq .Module.Path \""+module+"\"}}{{.Dir}}{{end}}{{end}}", pkg)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	names := map[string]bool{}
	for _, dir := range strings.Fields(string(out)) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range stringLiteral.FindAllStringSubmatch(string(src), -1) {
				names[m[1]] = true
			}
		}
	}
	return names
}

func keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}
