// Package process starts the suite's child processes (gateways, collectors) in a process group of
// their own, dying with the suite, on reserved free ports and with a hermetic environment.
package process

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Child is a process the suite started, such as the gateway: in its own process group, so
// stopping it stops anything it forked, and with a parent-death signal, so it dies with the
// suite even when the suite is killed without a chance to clean up. Its output goes to a log
// file, and its last part is kept for errors.
type Child struct {
	cmd     *exec.Cmd
	logFile *os.File
	tail    *tailBuffer
	exited  chan struct{}
	waitErr error
	stop    sync.Once
}

// Start starts argv in dir with exactly env, writing its output to logPath.
func Start(argv []string, dir string, env []string, logPath string) (*Child, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	p := &Child{logFile: logFile, tail: &tailBuffer{max: 64 << 10}, exited: make(chan struct{})}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = io.MultiWriter(logFile, p.tail)
	cmd.Stderr = cmd.Stdout
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting gateway %q: %w", argv[0], err)
	}
	p.cmd = cmd
	go func() {
		p.waitErr = cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	return p, nil
}

// Pid is the child's process id.
func (p *Child) Pid() int { return p.cmd.Process.Pid }

// Exited is closed when the child has ended.
func (p *Child) Exited() <-chan struct{} { return p.exited }

// ExitError describes how the process ended; call it after Exited is closed.
func (p *Child) ExitError() error {
	if p.waitErr == nil {
		return errors.New("exited with status 0")
	}
	return p.waitErr
}

// Stop asks the process group to terminate (SIGTERM, which also makes OpenTelemetry SDKs flush
// pending spans), and kills it if it has not ended within grace.
func (p *Child) Stop(grace time.Duration) error {
	var err error
	p.stop.Do(func() {
		pgid := -p.cmd.Process.Pid
		_ = syscall.Kill(pgid, syscall.SIGTERM)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-p.exited:
		case <-t.C:
			_ = syscall.Kill(pgid, syscall.SIGKILL)
			<-p.exited
			err = fmt.Errorf("gateway (pid %d) ignored SIGTERM for %s and was killed", p.cmd.Process.Pid, grace)
		}
	})
	return err
}

// Tail is the last part of the child's output.
func (p *Child) Tail() string { return p.tail.String() }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(b)
	if extra := t.buf.Len() - t.max; extra > 0 {
		t.buf.Next(extra)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
