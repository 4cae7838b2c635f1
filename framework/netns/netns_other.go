//go:build !linux

package netns

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"syscall"
)

// Namespace is a Linux network namespace; on other systems none can be made (process.Supported
// stops the suite before any is asked for), and this keeps the packages that use it building.
type Namespace struct{}

var errUnsupported = fmt.Errorf("network namespaces are Linux's; this is %s", runtime.GOOS)

// New fails: network namespaces are Linux's.
func New() (*Namespace, error) { return nil, errUnsupported }

// Open fails: network namespaces are Linux's.
func Open(string) (*Namespace, error) { return nil, errUnsupported }

// DyingWithParent has no parent-death signal outside Linux.
func DyingWithParent(syscall.Signal) *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

// Path is "".
func (*Namespace) Path() string { return "" }

// Close does nothing.
func (*Namespace) Close() error { return nil }

// Do fails.
func (*Namespace) Do(func() error) error { return errUnsupported }

// Listen fails.
func (*Namespace) Listen(string, string) (net.Listener, error) { return nil, errUnsupported }

// DialContext fails.
func (*Namespace) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, errUnsupported
}

// Start fails.
func (*Namespace) Start(*exec.Cmd) error { return errUnsupported }

// AddAddress fails.
func (*Namespace) AddAddress(net.IP, int) error { return errUnsupported }
