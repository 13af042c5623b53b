package chaos

import (
	"context"
	"net"
	"path/filepath"

	"go.temporal.io/sdk/testsuite"

	"github.com/shopflow/shopflow/internal/devserver"
)

// DevServer is a Temporal dev server persisted to a SQLite file, which
// Restart stops and starts again on the same file and address: the dev
// stack's kind of server.
type DevServer struct {
	dbFile, addr string
	srv          *testsuite.DevServer
}

// StartDevServer starts a file-backed dev server with its database in dir,
// on a free port.
func StartDevServer(ctx context.Context, dir string) (*DevServer, error) {
	addr, err := freeAddress()
	if err != nil {
		return nil, err
	}
	d := &DevServer{dbFile: filepath.Join(dir, "temporal.db"), addr: addr}
	d.srv, err = devserver.Start(ctx, devserver.Options{DBFile: d.dbFile, Address: addr})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Address is the frontend's host:port.
func (d *DevServer) Address() string { return d.addr }

// Restart stops the server and starts it again on the same state.
func (d *DevServer) Restart(ctx context.Context) error {
	if err := d.Stop(); err != nil {
		return err
	}
	srv, err := devserver.Start(ctx, devserver.Options{DBFile: d.dbFile, Address: d.addr})
	if err != nil {
		return err
	}
	d.srv = srv
	return nil
}

// Stop stops the server.
func (d *DevServer) Stop() error {
	if d.srv == nil {
		return nil
	}
	err := d.srv.Stop()
	d.srv = nil
	return err
}

// freeAddress returns a localhost host:port nothing listens on now.
func freeAddress() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
