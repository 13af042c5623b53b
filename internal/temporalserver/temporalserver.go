// Package temporalserver runs a private Temporal cluster of the kind
// production runs, for tests: the real Temporal server (v1.29.1, built into
// bin/ by tools/temporal-server.sh) on a PostgreSQL 15 cluster of its own
// (Debian's, created with initdb in a temporary folder, on a free port),
// its schema set up by Temporal's own SQL tool. Configuration, schema
// setup and start all go through tools/temporal-server.sh and
// deploy/temporal/config, the files docker-compose uses.
//
// PostgreSQL refuses to run as root, and CI runs as root: then the cluster
// runs as the postgres user (Debian's package creates it), through runuser.
package temporalserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/shopflow/shopflow/internal/devserver"
	"github.com/shopflow/shopflow/starter/deadletters"
	"github.com/shopflow/shopflow/workflows"
)

// PostgresBin is where Debian's postgresql-15 package puts initdb and
// pg_ctl.
const PostgresBin = "/usr/lib/postgresql/15/bin"

// Namespace is the namespace Start registers, with shopflow's search
// attributes.
const Namespace = "default"

// Server is a running Temporal server on its own PostgreSQL cluster.
type Server struct {
	root    string // repository root
	dir     string // the cluster's folder: PostgreSQL data, logs
	pgPort  int
	env     []string
	address string
	cmd     *exec.Cmd
	log     *os.File
}

// Available reports why a cluster cannot be started here, or nil: the
// server's binaries must be in bin/ and PostgreSQL installed.
func Available() error {
	root, err := devserver.RepoRoot()
	if err != nil {
		return err
	}
	for _, name := range []string{"temporal-server", "temporal-sql-tool"} {
		if _, err := os.Stat(filepath.Join(root, "bin", name)); err != nil {
			return fmt.Errorf("bin/%s missing: run tools/temporal-server.sh build", name)
		}
	}
	if _, err := os.Stat(filepath.Join(PostgresBin, "initdb")); err != nil {
		return fmt.Errorf("PostgreSQL 15 missing (%v): run tools/ensure-test-tools.sh", err)
	}
	return nil
}

// Start creates a PostgreSQL cluster, sets up Temporal's schema in it,
// starts the Temporal server on free ports and registers Namespace with
// shopflow's search attributes. Stop removes it all.
func Start(ctx context.Context) (_ *Server, err error) {
	if err := Available(); err != nil {
		return nil, err
	}
	root, _ := devserver.RepoRoot()
	dir, err := os.MkdirTemp("", "shopflow-temporal-")
	if err != nil {
		return nil, err
	}
	s := &Server{root: root, dir: dir}
	defer func() {
		if err != nil {
			s.Stop()
		}
	}()
	ports, err := freePorts(7)
	if err != nil {
		return nil, err
	}
	s.pgPort = ports[0]
	if err := s.startPostgres(ctx); err != nil {
		return nil, err
	}
	s.env = append(os.Environ(),
		"TEMPORAL_DB_HOST=127.0.0.1", "TEMPORAL_DB_PORT="+strconv.Itoa(s.pgPort),
		"TEMPORAL_DB_USER=temporal", "TEMPORAL_DB_PASSWORD=temporal",
		"TEMPORAL_FRONTEND_PORT="+strconv.Itoa(ports[1]), "TEMPORAL_FRONTEND_HTTP_PORT="+strconv.Itoa(ports[2]),
		"TEMPORAL_HISTORY_PORT="+strconv.Itoa(ports[3]), "TEMPORAL_MATCHING_PORT="+strconv.Itoa(ports[4]),
		"TEMPORAL_WORKER_PORT="+strconv.Itoa(ports[5]),
	)
	s.address = "127.0.0.1:" + strconv.Itoa(ports[1])
	if out, err := s.script(ctx, "setup-schema").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("setting up Temporal's schema: %v\n%s", err, tail(out))
	}
	if err := s.startServer(ctx); err != nil {
		return nil, err
	}
	if err := s.registerNamespace(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Address is the frontend's host:port.
func (s *Server) Address() string { return s.address }

// Restart SIGKILLs the server's process, as a crash would, and starts it
// again on the same database.
func (s *Server) Restart(ctx context.Context) error {
	s.kill()
	return s.startServer(ctx)
}

// Stop stops the server and PostgreSQL and removes the cluster's folder.
func (s *Server) Stop() error {
	s.kill()
	var err error
	if s.pgPort != 0 {
		if out, e := s.postgres(context.Background(), "pg_ctl", "-D", s.pgData(), "-m", "immediate", "-w", "stop").CombinedOutput(); e != nil {
			err = fmt.Errorf("stopping PostgreSQL: %v\n%s", e, out)
		}
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

func (s *Server) pgData() string { return filepath.Join(s.dir, "pg") }

// postgres runs a PostgreSQL program, as the postgres user when root.
func (s *Server) postgres(ctx context.Context, program string, args ...string) *exec.Cmd {
	path := filepath.Join(PostgresBin, program)
	if os.Geteuid() == 0 {
		return exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.CommandContext(ctx, path, args...)
}

func (s *Server) startPostgres(ctx context.Context) error {
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
	}
	// The superuser is temporal, trusted on localhost: a throwaway cluster.
	if out, err := s.postgres(ctx, "initdb", "-D", s.pgData(), "-U", "temporal", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, tail(out))
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", s.pgPort, s.dir)
	if out, err := s.postgres(ctx, "pg_ctl", "-D", s.pgData(), "-l", filepath.Join(s.dir, "postgres.log"), "-w", "-o", opts, "start").CombinedOutput(); err != nil {
		return fmt.Errorf("starting PostgreSQL: %v\n%s", err, tail(out))
	}
	return nil
}

func (s *Server) script(ctx context.Context, command string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.root, "tools", "temporal-server.sh"), command)
	cmd.Env = s.env
	return cmd
}

// startServer starts the server and waits until its frontend serves.
func (s *Server) startServer(ctx context.Context) error {
	log, err := os.OpenFile(filepath.Join(s.dir, "temporal.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	// Not bound to ctx: the server outlives the call that starts it.
	cmd := s.script(context.Background(), "start")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("starting the Temporal server: %w", err)
	}
	s.cmd, s.log = cmd, log
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: s.address, Namespace: "temporal-system"})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				go func() { <-exited }() // reap
				return nil
			}
		}
		select {
		case e := <-exited:
			out, _ := os.ReadFile(log.Name())
			return fmt.Errorf("the Temporal server exited: %v\n%s", e, tail(out))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the Temporal server did not serve on %s within 2 minutes: %v", s.address, err)
		}
	}
}

// kill SIGKILLs the server: tools/temporal-server.sh execs it, so the
// script's process is the server's.
func (s *Server) kill() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	for range 100 { // until the process is gone and its ports are free
		if s.cmd.Process.Signal(syscall.Signal(0)) != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd = nil
	s.log.Close()
}

// registerNamespace registers Namespace and shopflow's search attributes,
// as `starter setup search-attributes` does on a production cluster.
func (s *Server) registerNamespace(ctx context.Context) error {
	c, err := client.DialContext(ctx, client.Options{HostPort: s.address, Namespace: Namespace})
	if err != nil {
		return err
	}
	defer c.Close()
	nc, err := client.NewNamespaceClient(client.Options{HostPort: s.address})
	if err != nil {
		return err
	}
	defer nc.Close()
	err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: Namespace, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("registering namespace %s: %w", Namespace, err)
	}
	// A new namespace reaches every service's cache within seconds.
	deadline := time.Now().Add(time.Minute)
	for {
		_, err = deadletters.EnsureSearchAttributes(ctx, c, Namespace, workflows.SearchAttributeKeys())
		if err == nil {
			_, err = c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: workflows.FailureKindKey.GetName() + ` = "x"`})
		}
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s not ready: %w", Namespace, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// freePorts returns n distinct ports nothing listens on now, below 32,668:
// the server stores membership ports (port+100 in deploy/temporal/config,
// free too) as PostgreSQL smallints, and the kernel's ephemeral ports
// start at 32,768.
func freePorts(n int) ([]int, error) {
	var ports []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for tries := 0; len(ports) < n; tries++ {
		if tries > 1000 {
			return nil, errors.New("no free ports between 20,000 and 32,667")
		}
		p := 20_000 + rand.IntN(12_568)
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		m, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+100))
		if err != nil {
			l.Close()
			continue
		}
		held = append(held, l, m)
		ports = append(ports, p)
	}
	return ports, nil
}

// tail keeps the end of a program's output for an error message.
func tail(out []byte) string {
	out = bytes.TrimSpace(out)
	if len(out) > 4000 {
		out = out[len(out)-4000:]
	}
	return strings.ToValidUTF8(string(out), "?")
}
