package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

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
	// Own process group, so the terminal's Ctrl-C reaches only us and we
	// stop the children in order: the ingress before Temporal.
	// Pdeathsig stops them too if this process dies without cleaning up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, done: make(chan struct{})}
	go prefixLines(name, out)
	go func() {
		cmd.Wait()
		close(p.done)
		g.exited <- name
	}()
	g.procs = append(g.procs, p)
	return nil
}

// stopAll interrupts every process, newest first, giving each 10 s to shut
// down gracefully before killing it.
func (g *processGroup) stopAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := len(g.procs) - 1; i >= 0; i-- {
		p := g.procs[i]
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			fmt.Fprintf(os.Stderr, "%s did not stop in 10 s; killing it\n", p.name)
			p.cmd.Process.Kill()
			<-p.done
		}
	}
}

func prefixLines(name string, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fmt.Printf("%-10s | %s\n", name, sc.Text())
	}
}
