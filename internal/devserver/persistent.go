package devserver

import (
	"context"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
)

// StartPersistent starts a dev server that stores its state in the SQLite
// file dbPath, like the dev stack's: benchmarks use it so that their
// figures describe the embedded default, not an in-memory server.
func StartPersistent(ctx context.Context, dbPath string) (*testsuite.DevServer, error) {
	path, err := CLIPath()
	if err != nil {
		return nil, err
	}
	return testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  path,
		ClientOptions: &client.Options{Namespace: "default"},
		DBFilename:    dbPath,
		LogLevel:      "error",
		ExtraArgs:     Args(),
	})
}
