package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopflow/shopflow/internal/encryption"
)

// new-key --out writes a key once and never overwrites it, so that a
// container's init step can run on every start.
func TestNewKeyWritesOnce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "master-keys")
	run := func() {
		t.Helper()
		cmd := newKeyCommand()
		var buf bytes.Buffer
		cmd.SetOut(&buf)
		cmd.SetArgs([]string{"k1", "--out", out})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
	}
	run()
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := encryption.ParseKeyring(string(first))
	if err != nil || len(ring) != 1 || ring[0].ID != "k1" {
		t.Fatalf("written key: %v, %v", ring, err)
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	run()
	if again, _ := os.ReadFile(out); !bytes.Equal(again, first) {
		t.Error("new-key --out overwrote an existing key")
	}
}
