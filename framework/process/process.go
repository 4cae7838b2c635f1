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
	return StartWith(argv, Options{Dir: dir, Env: env, LogPath: logPath})
}

// Options say how StartWith starts a child.
type Options struct {
	Dir     string
	Env     []string // exactly the child's environment
	LogPath string   // its output, stdout and stderr together
	// Start starts the command, such as netns.Namespace.Start for a network namespace; nil is
	// cmd.Start.
	Start func(*exec.Cmd) error
	// DeathSignal is what the child gets when the suite dies; 0 is SIGKILL. A controller that
	// stops its own children on SIGTERM gets SIGTERM.
	DeathSignal syscall.Signal
}

// StartWith starts argv as Options say.
func StartWith(argv []string, o Options) (*Child, error) {
	logFile, err := os.Create(o.LogPath)
	if err != nil {
		return nil, err
	}
	p := &Child{logFile: logFile, tail: &tailBuffer{max: 64 << 10}, exited: make(chan struct{})}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = o.Dir
	cmd.Env = o.Env
	cmd.Stdout = io.MultiWriter(logFile, p.tail)
	cmd.Stderr = cmd.Stdout
	sig := o.DeathSignal
	if sig == 0 {
		sig = syscall.SIGKILL
	}
	cmd.SysProcAttr = groupDyingWithParent(sig)
	start := o.Start
	if start == nil {
		start = (*exec.Cmd).Start
	}
	if err := start(cmd); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %q: %w", argv[0], err)
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
			err = fmt.Errorf("%s (pid %d) ignored SIGTERM for %s and was killed with its process group", p.cmd.Path, p.cmd.Process.Pid, grace)
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
