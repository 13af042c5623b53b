package erpsim

import (
	"bytes"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The simulator's server bounds what a client may send and how slowly:
// headers over 64 KiB are refused with 431, a request whose headers do not
// arrive is cut off, and every timeout is set.
func TestHTTPServerLimits(t *testing.T) {
	srv := New(Options{}).HTTPServer("127.0.0.1:0", 0)
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Fatalf("a limit is unset: %+v", srv)
	}
	srv.ReadHeaderTimeout = 200 * time.Millisecond // for the slow client below
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("x", 128<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("128 KiB of headers answered %d, want 431", resp.StatusCode)
	}

	// A client that never finishes its headers is disconnected.
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n"))
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(conn); err != nil {
		t.Fatalf("the connection stayed open: %v", err)
	}
}
