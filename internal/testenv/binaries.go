package testenv

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/shopflow/shopflow/internal/devserver"
)

// BuildWorker builds the worker binary (what `make` puts in bin/worker)
// from the code under test into the test's temporary directory and returns
// its path, for tests that run the worker as a process of its own (and kill
// it).
func BuildWorker(tb testing.TB) string {
	tb.Helper()
	root, err := devserver.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	bin := filepath.Join(tb.TempDir(), "worker")
	build := exec.Command("go", "build", "-o", bin, "./worker")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building the worker: %v\n%s", err, out)
	}
	return bin
}
