// Package processtest holds what tests of child processes share: a listener that shares its port.
package processtest

import (
	"context"
	"net"
	"syscall"
)

// ListenReusePort listens on addr with SO_REUSEPORT, as Caddy and Envoy do: another listener
// may then bind the same port, which the suite's port reservations must notice.
func ListenReusePort(addr string) (net.Listener, error) {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, 0xf /* SO_REUSEPORT */, 1)
		}); err != nil {
			return err
		}
		return serr
	}}
	return lc.Listen(context.Background(), "tcp", addr)
}
