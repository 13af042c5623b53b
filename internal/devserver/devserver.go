// Package devserver runs the Temporal CLI's dev server the way shopflow
// needs it, for the dev stack and for integration tests: built from the Go
// module proxy into bin/, with shopflow's search attributes registered and
// SQLite tuned for speed.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/shopflow/shopflow/workflows"
)

// CLIVersion is the Temporal CLI built into bin/: the newest one whose
// dependencies the Go module proxy serves (server 1.29.1, UI 2.42.1).
const CLIVersion = "v1.5.1"

// RepoRoot finds the repository's root by walking up from the working
// directory to go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// CLIPath returns the path of the Temporal CLI in bin/, or an error telling
// how to build it.
func CLIPath() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, "bin", "temporal")
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("temporal CLI not found at %s: run `make bin/temporal` (go install github.com/temporalio/cli/cmd/temporal@%s)", path, CLIVersion)
	}
	return path, nil
}

// Args returns the dev-server arguments every shopflow dev server gets:
// shopflow's search attributes and SQLite pragmas that make a file-backed
// server about three times faster.
func Args() []string {
	args := []string{
		"--sqlite-pragma", "journal_mode=wal",
		"--sqlite-pragma", "synchronous=normal",
	}
	for _, key := range workflows.SearchAttributeKeys() {
		args = append(args, "--search-attribute", key.GetName()+"="+key.GetValueType().String())
	}
	return args
}

// Options tunes a dev server started by Start.
type Options struct {
	// DBFile persists the server's state to this SQLite file, like the dev
	// stack's; in memory if empty.
	DBFile string
	// UIPort serves the Web UI on this port; no UI if empty.
	UIPort string
	// UICodecEndpoint is the codec server the Web UI decodes payloads
	// with (starter codec-server); none if empty.
	UICodecEndpoint string
	// DataConverter and FailureConverter are the returned server's
	// client's; the SDK's defaults if nil.
	DataConverter    converter.DataConverter
	FailureConverter converter.FailureConverter
	// Address is the frontend's host:port; a free port on localhost if
	// empty. A server restarted on the same DBFile and Address is the same
	// server to its clients (the chaos test restarts one this way).
	Address string
}

// Start starts a dev server on a free port for tests and benchmarks. It
// never downloads anything: the CLI must be in bin/.
func Start(ctx context.Context, opts Options) (*testsuite.DevServer, error) {
	path, err := CLIPath()
	if err != nil {
		return nil, err
	}
	// Deleting a closed workflow (customers/redact) waits for the transfer
	// queue's ack level, saved every 30 s by default; tests wait 1 s.
	args := append(Args(), "--dynamic-config-value", `history.transferProcessorUpdateAckInterval="1s"`)
	if opts.UICodecEndpoint != "" {
		args = append(args, "--ui-codec-endpoint", opts.UICodecEndpoint)
	}
	return testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  path,
		ClientOptions: &client.Options{Namespace: "default", HostPort: opts.Address, DataConverter: opts.DataConverter, FailureConverter: opts.FailureConverter},
		DBFilename:    opts.DBFile,
		EnableUI:      opts.UIPort != "",
		UIPort:        opts.UIPort,
		LogLevel:      "error",
		ExtraArgs:     args,
	})
}
