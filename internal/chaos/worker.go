package chaos

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// workerProcess runs bin/worker as a child process that can be killed
// without warning, as a crash or an OOM kill would, and started again.
type workerProcess struct {
	binary string
	args   []string
	env    []string

	mu  sync.Mutex
	cmd *exec.Cmd
}

func (w *workerProcess) start() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	cmd := exec.Command(w.binary, w.args...)
	cmd.Env = append(os.Environ(), w.env...)
	// Its JSON logs would drown the test's; a failing run is diagnosed
	// from the ERP's ground truth and the dead letters.
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the worker %s: %w", w.binary, err)
	}
	w.cmd = cmd
	return nil
}

// kill SIGKILLs the worker: activities in flight are abandoned mid-call,
// to time out and be retried on the next worker.
func (w *workerProcess) kill() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil {
		return nil
	}
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("killing the worker: %w", err)
	}
	w.cmd.Wait() // a killed process's error is expected
	w.cmd = nil
	return nil
}

// stop ends the worker gracefully, or kills it after 20 s.
func (w *workerProcess) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil {
		return
	}
	w.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { w.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		w.cmd.Process.Kill()
		<-done
	}
	w.cmd = nil
}
