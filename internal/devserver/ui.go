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
	return StartUIWith(ctx, Options{})
}

// StartUIWith is StartWithUI with options, such as a codec endpoint for the
// UI; opts.UIPort is chosen here.
func StartUIWith(ctx context.Context, opts Options) (*testsuite.DevServer, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	opts.UIPort = port
	srv, err := Start(ctx, opts)
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
