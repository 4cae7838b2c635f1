package debug_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/debug"
)

func TestNoPauseWithoutDebug(t *testing.T) {
	var out bytes.Buffer
	// Even with an hour's timeout, a disabled pauser must return at once and print nothing.
	got := debug.Pauser{Enabled: false, Timeout: time.Hour, Out: &out}.Pause(context.Background(), "bundle")
	if got != debug.NotPaused || out.Len() != 0 {
		t.Fatalf("got %q, printed %q", got, out.String())
	}
}

func TestPauseResumedBySIGUSR1(t *testing.T) {
	var out syncBuffer
	dir := t.TempDir()
	done := make(chan debug.Resumed)
	go func() {
		done <- debug.Pauser{Enabled: true, Timeout: time.Hour, Out: &out, MarkerDir: dir}.Pause(context.Background(), "the bundle")
	}()
	marker := filepath.Join(dir, "PAUSED-"+strconv.Itoa(os.Getpid()))
	waitFor(t, func() bool { _, err := os.Stat(marker); return err == nil })
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	select {
	case got := <-done:
		if got != debug.BySignal {
			t.Fatalf("resumed by %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SIGUSR1 did not resume the pause")
	}
	if !strings.Contains(out.String(), "the bundle") || !strings.Contains(out.String(), "kill -USR1") {
		t.Fatalf("pause did not print the bundle and how to resume:\n%s", out.String())
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Fatal("marker file left behind after resuming")
	}
}

func TestPauseResumedByTimeout(t *testing.T) {
	got := debug.Pauser{Enabled: true, Timeout: 10 * time.Millisecond, Out: io.Discard}.Pause(context.Background(), "")
	if got != debug.ByTimeout {
		t.Fatalf("resumed by %q", got)
	}
}

func TestPauseResumedByEnter(t *testing.T) {
	r, w := io.Pipe()
	done := make(chan debug.Resumed)
	go func() {
		done <- debug.Pauser{Enabled: true, Timeout: time.Hour, Out: io.Discard, Terminal: r}.Pause(context.Background(), "")
	}()
	w.Write([]byte("\n"))
	if got := <-done; got != debug.ByEnter {
		t.Fatalf("resumed by %q", got)
	}
}

func TestPauseEndsWithTheSuite(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := (debug.Pauser{Enabled: true, Timeout: time.Hour, Out: io.Discard}).Pause(ctx, ""); got != debug.ByCancellation {
		t.Fatalf("resumed by %q", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe to write from the pausing goroutine and read from the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
