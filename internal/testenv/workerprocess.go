package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// StartWorkerProcess starts bin (BuildWorker's worker) as a process of its
// own against the dev server and s's simulators, with the shop's token and
// procEnv's encryption settings (ProcessEncryption), its /metrics on a free
// port and its log in the test's log; args are further flags, such as
// --queues and --task-queue-suffix. The test may kill it (a real crash:
// SIGKILL); it is killed when the test ends, if not before.
func (s *Stack) StartWorkerProcess(tb testing.TB, bin string, procEnv []string, args ...string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"--metrics-addr", "127.0.0.1:0",
		"--temporal-address", FrontendAddress(tb), "--erp-url", s.ERPURL, "--shopify-url", s.ShopifyURL}, args...)...)
	cmd.Env = append(append(os.Environ(), "SHOPFLOW_SHOPIFY_TOKENS="+s.Shop+"="+ShopifyToken), procEnv...)
	out := processLog{tb}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// processLog sends a worker process's output to the test's log.
type processLog struct{ tb testing.TB }

func (w processLog) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		w.tb.Log("worker: " + line)
	}
	return len(b), nil
}
