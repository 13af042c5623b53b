package devserver

import (
	"context"
	"net"
	"strconv"

	"go.temporal.io/sdk/testsuite"
)

// StartWithUI starts a throwaway in-memory dev server like Start, with the
// Temporal Web UI on a free port, and returns the UI's base URL. It is for
// tests that look at what an operator sees.
func StartWithUI(ctx context.Context) (*testsuite.DevServer, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	srv, err := Start(ctx, Options{UIPort: port})
	if err != nil {
		return nil, "", err
	}
	return srv, "http://127.0.0.1:" + port, nil
}

// freePort asks the kernel for a free TCP port. Another process may take
// it before the dev server binds it; that is rare enough for tests.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}
