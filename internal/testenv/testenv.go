// Package testenv runs shopflow's real parts for integration tests: a
// Temporal dev server (one per test binary), the ERP simulator, a worker on
// a task queue of the test's own and the webhook ingress, all over real
// HTTP and gRPC. Nothing in it is a mock. Payloads are encrypted as in
// production (package internal/encryption), under test keys that are the
// same in every test binary (keys.go).
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
	"github.com/shopflow/shopflow/internal/encryption"
)

var shared struct {
	once   sync.Once
	server *testsuite.DevServer
	err    error
	// codec encrypts every payload of the dev server's client.
	codec  *encryption.Codec
	store  encryption.KeyStore
	keyDir string
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
	if shared.keyDir != "" {
		os.RemoveAll(shared.keyDir)
	}
	return code
}

// Temporal returns a client of the test binary's dev server, starting the
// server on first use. The test fails if it cannot be started.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	shared.once.Do(func() {
		if shared.err = newEncryption(); shared.err != nil {
			return
		}
		shared.server, shared.err = devserver.Start(context.Background(), devserver.Options{
			DataConverter: shared.codec.DataConverter(), FailureConverter: shared.codec.FailureConverter(),
		})
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

// newEncryption makes the test binary's codec, over the shared test keys,
// with their files in a directory Main removes.
func newEncryption() (err error) {
	if shared.keyDir, err = os.MkdirTemp("", "shopflow-test-keys-"); err != nil {
		return err
	}
	if shared.store, err = TestKeyStore(shared.keyDir); err != nil {
		return err
	}
	shared.codec, err = encryption.New(TestKeyring(), shared.store)
	return err
}

// Codec returns the codec of the test binary's Temporal client: what the
// stacks' workers and ingresses encrypt with.
func Codec(t testing.TB) *encryption.Codec {
	t.Helper()
	Temporal(t)
	return shared.codec
}

// Encryption returns the keyring and the key store of Codec, for tests that
// build codecs of their own over the same keys (a codec server, a rotated
// keyring).
func Encryption(t testing.TB) (encryption.Keyring, encryption.KeyStore) {
	t.Helper()
	Temporal(t)
	return TestKeyring(), shared.store
}
