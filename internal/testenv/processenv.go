package testenv

import (
	"encoding/base64"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/shopflow/shopflow/internal/encryption"
)

// ProcessEncryption is how a test runs shopflow processes that read their
// encryption settings from the environment (bin/worker as a subprocess, a
// starter command run in the test): env holds the variables naming
// TestKeyring and a key directory of the test's own, and c is a client of
// the dev server that encrypts as such a process does, for the test's own
// starts, queries and in-process workers talking to it.
func ProcessEncryption(t testing.TB) (env []string, c client.Client) {
	t.Helper()
	dir := t.TempDir()
	var keys []string
	for _, k := range TestKeyring() {
		keys = append(keys, k.ID+"="+base64.StdEncoding.EncodeToString(k.Key))
	}
	env = []string{encryption.EnvKeys + "=" + strings.Join(keys, ","), encryption.EnvKeyStore + "=" + dir}
	store, err := encryption.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := encryption.New(TestKeyring(), store)
	if err != nil {
		t.Fatal(err)
	}
	c, err = client.Dial(client.Options{HostPort: FrontendAddress(t), DataConverter: codec.DataConverter(), FailureConverter: codec.FailureConverter()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return env, c
}
