// Package testenv runs shopflow's real parts for integration tests: a
// Temporal dev server (one per test binary), the ERP simulator, a worker on
// a task queue of the test's own and the webhook ingress, all over real
// HTTP and gRPC. Nothing in it is a mock.
package testenv

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/shopflow/shopflow/internal/devserver"
)

var shared struct {
	once   sync.Once
	server *testsuite.DevServer
	err    error
}

// Main runs a package's tests and stops the dev server afterwards. Use it
// from TestMain: func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.server != nil {
		if err := shared.server.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the Temporal dev server:", err)
		}
	}
	return code
}

// Temporal returns a client of the test binary's dev server, starting the
// server on first use. The test fails if it cannot be started.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	shared.once.Do(func() {
		shared.server, shared.err = devserver.Start(context.Background(), devserver.Options{})
	})
	if shared.err != nil {
		t.Fatalf("starting the Temporal dev server: %v", shared.err)
	}
	return shared.server.Client()
}

// FrontendAddress returns the dev server's host:port.
func FrontendAddress(t testing.TB) string {
	Temporal(t)
	return shared.server.FrontendHostPort()
}
