package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long a process gets to stop after an interrupt: longer
// than the worker's 15 s for finishing the activities in flight.
const stopGrace = 20 * time.Second

// process is one running member of the stack.
type process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited
}

// processGroup runs the stack's processes, prefixing each one's output with
// its name, and stops them in reverse order of start.
type processGroup struct {
	mu     sync.Mutex
	procs  []*process
	exited chan string // names of processes that exited on their own
}

func (g *processGroup) start(name, path string, args, env []string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.exited == nil {
		g.exited = make(chan string, 16)
	}
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), env...)
	// A writer rather than a pipe: Wait then returns only after the last
	// line is copied, so a crashing process's final words are printed.
	out := &prefixWriter{prefix: fmt.Sprintf("%-10s | ", name)}
	cmd.Stdout, cmd.Stderr = out, out
	// Own process group, so the terminal's Ctrl-C reaches only us and we
	// stop the children in order: the ingress before Temporal.
	// Pdeathsig stops them too if this process dies without cleaning up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		out.flush()
		close(p.done)
		g.exited <- name
	}()
	g.procs = append(g.procs, p)
	return nil
}

// stopAll interrupts every process, newest first, giving each stopGrace to
// shut down gracefully before killing it.
func (g *processGroup) stopAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := len(g.procs) - 1; i >= 0; i-- {
		p := g.procs[i]
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(stopGrace):
			fmt.Fprintf(os.Stderr, "%s did not stop in %v; killing it\n", p.name, stopGrace)
			p.cmd.Process.Kill()
			<-p.done
		}
	}
}

// prefixWriter writes each complete line to stdout behind a prefix.
type prefixWriter struct {
	mu      sync.Mutex
	prefix  string
	partial []byte
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, b...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		os.Stdout.Write(append([]byte(w.prefix), w.partial[:i+1]...))
		w.partial = w.partial[i+1:]
	}
	return len(b), nil
}

// flush writes a last line that had no newline.
func (w *prefixWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		os.Stdout.Write(append(append([]byte(w.prefix), w.partial...), '\n'))
		w.partial = nil
	}
}
