//go:build linux

package netns_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tracegate/tracegate/framework/netns"

	"github.com/tracegate/tracegate/internal/testenv"
)

// TestBridge needs no namespace: a bridge between two listeners of this one copies both ways
// and closes everything it opened.
func TestBridge(t *testing.T) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello "+r.URL.Path) })}
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(target)
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := netns.NewBridge(ln, target.Addr().String())
	rsp, err := http.Get("http://" + b.Addr().String() + "/through")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rsp.Body)
	rsp.Body.Close()
	if string(body) != "hello /through" {
		t.Errorf("body %q", body)
	}
	if err := b.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := net.DialTimeout("tcp", b.Addr().String(), time.Second); err == nil {
		t.Errorf("the bridge still accepts after Close")
	}
}

// newOrSkip creates a namespace, or skips where this test cannot (no root, no CAP_SYS_ADMIN).
func newOrSkip(t *testing.T) *netns.Namespace {
	t.Helper()
	n, err := netns.New()
	if errors.Is(err, unix.EPERM) {
		testenv.Skip(t, fmt.Sprintf("no network namespace here (it needs root or CAP_SYS_ADMIN): %v", err))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// TestNamespace: an address added inside is reachable only from inside; sockets made inside
// stay there; the suite's own thread is back in its namespace afterwards.
func TestNamespace(t *testing.T) {
	n := newOrSkip(t)
	before, _ := os.Readlink("/proc/thread-self/ns/net")
	if err := n.AddAddress(net.IPv4(198, 18, 0, 1), 0); err != nil {
		t.Fatal(err)
	}
	ln, err := n.Listen("tcp", "198.18.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			io.WriteString(c, "inside")
			c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := n.DialContext(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(c)
	c.Close()
	if string(got) != "inside" {
		t.Errorf("read %q", got)
	}
	// The loopback of the namespace is its own: nothing of this machine listens there.
	if lo, err := n.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Errorf("lo is not up inside: %v", err)
	} else {
		lo.Close()
	}
	if after, _ := os.Readlink("/proc/thread-self/ns/net"); after != before {
		t.Errorf("this thread is in %s after, %s before", after, before)
	}
	// Another handle by path reaches the same namespace (what other Ginkgo processes do).
	o, err := netns.Open(n.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if c, err := o.DialContext(ctx, "tcp", ln.Addr().String()); err != nil {
		t.Errorf("dial through %s: %v", n.Path(), err)
	} else {
		c.Close()
	}
}

// TestStart: a process started inside sees the namespace's interfaces and none of this machine's.
func TestStart(t *testing.T) {
	n := newOrSkip(t)
	if err := n.AddAddress(net.IPv4(198, 18, 0, 1), 0); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cmd := exec.Command("cat", "/proc/net/dev")
	cmd.Stdout = &out
	if err := n.Start(cmd); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "lo:") {
		t.Errorf("inside the namespace /proc/net/dev shows:\n%s\nwant only lo", out.String())
	}
}

// TestChildDiesWithSuite: a process started inside gets SIGTERM when the process that started
// it is killed (here a copy of this test binary, killed with SIGKILL), so a killed run leaves no
// gateway behind.
func TestChildDiesWithSuite(t *testing.T) {
	if os.Getenv("TRACEGATE_NETNS_PARENT") == "1" {
		n, err := netns.New()
		if err != nil {
			fmt.Println("error", err)
			return
		}
		cmd := exec.Command("sleep", "60")
		if err := n.Start(cmd); err != nil {
			fmt.Println("error", err)
			return
		}
		fmt.Println(cmd.Process.Pid)
		time.Sleep(time.Minute)
		return
	}
	newOrSkip(t)
	parent := exec.Command(os.Args[0], "-test.run=^TestChildDiesWithSuite$")
	parent.Env = append(os.Environ(), "TRACEGATE_NETNS_PARENT=1")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil || pid == 0 {
		parent.Process.Kill()
		t.Fatalf("the parent printed no child pid: %v", err)
	}
	parent.Process.Kill()
	parent.Wait()
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(50 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return // gone, or dead and waiting for init to reap it
		}
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Fatalf("child %d outlived its killed parent", pid)
}
