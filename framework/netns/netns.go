// Package netns puts parts of the suite into a network namespace the run creates, while the
// suite itself stays in the machine's own: listeners, dials and child processes. A socket stays
// in the namespace it was created in, whichever thread uses it later, so only its creation
// runs on an OS thread switched into the namespace (setns), which is switched back afterwards.
//
// The kwok environment runs Envoy Gateway and its Envoys in such a namespace: they bind fixed
// ports on every interface, and there nothing they bind reaches beyond the run.
//go:build linux

package netns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Namespace is a network namespace, held open by a file descriptor.
type Namespace struct {
	file *os.File
	path string

	mu       sync.Mutex
	spawn    chan spawnRequest // to the spawner goroutine, once started
	spawnErr error
	closed   bool
}

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// New creates an anonymous network namespace with its loopback interface up. It has no
// /run/netns entry: it lives while this Namespace is open or a process runs in it, so a run
// that is killed leaves no namespace behind. It needs CAP_SYS_ADMIN (root, or a user namespace
// in which the suite is root).
func New() (*Namespace, error) {
	var file *os.File
	err := onThread(func() error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("unshare(CLONE_NEWNET): %w (creating a network namespace needs root or CAP_SYS_ADMIN)", err)
		}
		f, err := os.Open("/proc/thread-self/ns/net")
		file = f
		return err
	})
	if err != nil {
		return nil, err
	}
	n := &Namespace{file: file, path: fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), file.Fd())}
	if err := n.Do(func() error { return setFlagsUp("lo") }); err != nil {
		n.Close()
		return nil, fmt.Errorf("bringing lo up in the new network namespace: %w", err)
	}
	return n, nil
}

// Open opens the namespace at path, such as another process's /proc/<pid>/fd/<n> (Path).
func Open(path string) (*Namespace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening network namespace %s: %w", path, err)
	}
	return &Namespace{file: f, path: path}, nil
}

// DyingWithParent is the attributes of a child that gets sig when the suite dies (Pdeathsig).
func DyingWithParent(sig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: sig}
}

// Path names the namespace for other processes of the run and for `nsenter --net=<path>`, as
// long as the process that created it runs.
func (n *Namespace) Path() string { return n.path }

// Close releases this handle and lets the goroutine that starts processes inside (Start) end.
// The namespace itself goes when no handle and no process is left.
func (n *Namespace) Close() error {
	if n == nil || n.file == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil
	}
	n.closed = true
	if n.spawn != nil {
		close(n.spawn)
		n.spawn = nil
	}
	return n.file.Close()
}

// Do runs fn on an OS thread switched into the namespace, then switches the thread back. If
// switching back fails, the thread stays locked and ends with its goroutine, so no other
// goroutine ever runs in the wrong namespace.
func (n *Namespace) Do(fn func() error) error {
	return onThread(func() error {
		if err := unix.Setns(int(n.file.Fd()), unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("entering network namespace %s: %w", n.path, err)
		}
		return fn()
	})
}

// onThread runs fn on a locked OS thread and restores the thread's network namespace after it.
func onThread(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer orig.Close()
		ferr := fn()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			// The thread is left locked: it exits with this goroutine.
			errc <- errors.Join(ferr, fmt.Errorf("returning to the original network namespace: %w", err))
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// Listen listens inside the namespace.
func (n *Namespace) Listen(network, addr string) (net.Listener, error) {
	var l net.Listener
	err := n.Do(func() (err error) { l, err = net.Listen(network, addr); return err })
	return l, err
}

// DialContext dials from inside the namespace; it has the shape of http.Transport.DialContext.
func (n *Namespace) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var c net.Conn
	err := n.Do(func() (err error) {
		var d net.Dialer
		c, err = d.DialContext(ctx, network, addr)
		return err
	})
	return c, err
}

// Start starts cmd inside the namespace. Unless cmd sets its own SysProcAttr, the process gets
// SIGTERM when the suite dies (Pdeathsig), so it never outlives a killed run.
//
// A parent-death signal follows the thread that forked, not the process: a thread of the Go
// runtime's pool may end whenever a goroutine locked to it ends, and would take the child with
// it. So every process is forked by one goroutine that locks its thread, enters the namespace
// and keeps both for as long as this Namespace is open.
func (n *Namespace) Start(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = DyingWithParent(syscall.SIGTERM)
	}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return fmt.Errorf("network namespace %s is closed", n.path)
	}
	if n.spawn == nil && n.spawnErr == nil {
		ready := make(chan error)
		n.spawn = make(chan spawnRequest)
		go n.spawner(n.spawn, ready)
		if n.spawnErr = <-ready; n.spawnErr != nil {
			n.spawn = nil
		}
	}
	if n.spawnErr != nil {
		n.mu.Unlock()
		return n.spawnErr
	}
	req := spawnRequest{cmd: cmd, done: make(chan error, 1)}
	n.spawn <- req // under the lock: Close cannot close the channel meanwhile
	n.mu.Unlock()
	return <-req.done
}

// spawner forks the processes of Start from a thread that stays in the namespace. Its thread is
// never unlocked, so it never serves another goroutine: it ends with this goroutine, when Close
// closes requests (unless it is the main thread, which the runtime keeps), or with the process.
func (n *Namespace) spawner(requests <-chan spawnRequest, ready chan<- error) {
	runtime.LockOSThread()
	if err := unix.Setns(int(n.file.Fd()), unix.CLONE_NEWNET); err != nil {
		ready <- fmt.Errorf("entering network namespace %s: %w", n.path, err)
		return
	}
	ready <- nil
	for req := range requests {
		req.done <- req.cmd.Start()
	}
}

// AddAddress adds an IPv4 address with a /32 mask to the namespace's loopback interface (as the
// alias lo:<label>), so that the namespace has an address that is not loopback: the API server
// refuses loopback addresses in EndpointSlices.
func (n *Namespace) AddAddress(ip net.IP, label int) error {
	ip4 := ip.To4()
	if ip4 == nil {
		return fmt.Errorf("%s is not an IPv4 address", ip)
	}
	return n.Do(func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		name := fmt.Sprintf("lo:%d", label)
		for _, step := range []struct {
			req  uint
			addr []byte
		}{{unix.SIOCSIFADDR, ip4}, {unix.SIOCSIFNETMASK, []byte{255, 255, 255, 255}}} {
			ifr, err := unix.NewIfreq(name)
			if err != nil {
				return err
			}
			if err := ifr.SetInet4Addr(step.addr); err != nil {
				return err
			}
			if err := unix.IoctlIfreq(fd, step.req, ifr); err != nil {
				return fmt.Errorf("adding %s/32 to %s: %w", ip4, name, err)
			}
		}
		return nil
	})
}

// setFlagsUp sets IFF_UP on an interface of the calling thread's namespace.
func setFlagsUp(name string) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}
