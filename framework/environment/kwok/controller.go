package kwok

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tracegate/tracegate/framework/netns"
)

// controller is Envoy Gateway running as a child of the suite, in the network namespace: in a
// process group of its own (the terminal's Ctrl-C goes to the suite, which stops it in order),
// with SIGTERM when the suite dies, and its output in a log file.
type controller struct {
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
	err  error // how it ended, once done is closed

	mu   sync.Mutex
	last []byte // the end of its output, for errors
	once sync.Once
}

func startController(ns *netns.Namespace, argv, env []string, logPath string) (*controller, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	c := &controller{log: f, done: make(chan struct{})}
	c.cmd = exec.Command(argv[0], argv[1:]...)
	c.cmd.Env = env
	c.cmd.Dir = "/"
	c.cmd.Stdout = io.MultiWriter(f, c)
	c.cmd.Stderr = c.cmd.Stdout
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := ns.Start(c.cmd); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting %s: %w", strings.Join(argv, " "), err)
	}
	go func() {
		c.err = c.cmd.Wait()
		f.Close()
		close(c.done)
	}()
	return c, nil
}

// Write keeps the last 16 KiB of the output.
func (c *controller) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = append(c.last, b...)
	if extra := len(c.last) - 16<<10; extra > 0 {
		c.last = c.last[extra:]
	}
	return len(b), nil
}

// tail is the last lines of the output.
func (c *controller) tail() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	lines := strings.Split(strings.TrimRight(string(c.last), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return "  " + strings.Join(lines, "\n  ")
}

// exited returns an error once the process has ended: it never should while the run needs it.
func (c *controller) exited() error {
	select {
	case <-c.done:
		return fmt.Errorf("envoy-gateway (pid %d) exited: %v", c.cmd.Process.Pid, c.err)
	default:
		return nil
	}
}

// stop sends SIGTERM (Envoy Gateway then stops its Envoys), and kills the process group after
// grace.
func (c *controller) stop(grace time.Duration) error {
	var err error
	c.once.Do(func() {
		pid := c.cmd.Process.Pid
		_ = syscall.Kill(pid, syscall.SIGTERM)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-c.done:
		case <-t.C:
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			<-c.done
			err = fmt.Errorf("envoy-gateway (pid %d) ignored SIGTERM for %s and was killed with its process group", pid, grace)
		}
	})
	return err
}
