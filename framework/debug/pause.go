package debug

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// Resumed says what ended a pause.
type Resumed string

// The ways a pause ends.
const (
	NotPaused      Resumed = "not paused (debug mode is off)"
	ByEnter        Resumed = "Enter"
	BySignal       Resumed = "SIGUSR1"
	ByTimeout      Resumed = "pause timeout"
	ByCancellation Resumed = "the suite was interrupted"
)

// Pauser holds a failed spec with its environment up until a person resumes it. It works under
// ginkgo -p, where Ginkgo's own --sleep-on-failure is refused: each process pauses on its own
// and can be resumed on its own.
type Pauser struct {
	// Enabled is debug mode; when false Pause returns at once and nothing ever waits.
	Enabled bool
	Timeout time.Duration
	// Out is where the resume instructions go; Terminal is read for Enter. Use Console to get
	// the controlling terminal, which parallel Ginkgo processes still have.
	Out      io.Writer
	Terminal io.Reader
	// MarkerDir, when set, receives a PAUSED-<pid> file with the instructions while paused, for
	// runs whose output is captured (ginkgo -p buffers each process's output until it exits).
	MarkerDir string
}

// Pause blocks until Enter, SIGUSR1, the timeout or ctx ends, and says which.
func (p Pauser) Pause(ctx context.Context, bundle string) Resumed {
	if !p.Enabled {
		return NotPaused
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1)
	defer signal.Stop(signals)

	msg := fmt.Sprintf("%s\n>>> tracegate DEBUG: spec failed; its environment is still up.\n"+
		">>> Resume with Enter on this terminal, or `kill -USR1 %d`, or wait %s.\n", bundle, os.Getpid(), p.Timeout)
	if p.Out != nil {
		fmt.Fprint(p.Out, msg)
	}
	if p.MarkerDir != "" {
		marker := filepath.Join(p.MarkerDir, fmt.Sprintf("PAUSED-%d", os.Getpid()))
		if os.MkdirAll(p.MarkerDir, 0o755) == nil && os.WriteFile(marker, []byte(msg), 0o644) == nil {
			defer os.Remove(marker)
		}
	}

	enter := make(chan struct{}, 1)
	if p.Terminal != nil {
		go func() {
			if _, err := bufio.NewReader(p.Terminal).ReadString('\n'); err == nil {
				enter <- struct{}{}
			}
		}()
	}
	timer := time.NewTimer(p.Timeout)
	defer timer.Stop()
	select {
	case <-enter:
		return ByEnter
	case <-signals:
		return BySignal
	case <-timer.C:
		return ByTimeout
	case <-ctx.Done():
		return ByCancellation
	}
}

// Console opens the controlling terminal for both writing and reading Enter. Without one (CI,
// no tty) it returns stderr and no input, so only SIGUSR1 and the timeout resume a pause.
func Console() (io.Writer, io.Reader, func()) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return os.Stderr, nil, func() {}
	}
	return tty, tty, func() { tty.Close() }
}
