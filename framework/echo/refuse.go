package echo

import (
	"fmt"
	"net"
	"syscall"
)

// Refusing is an address where nothing will ever answer: a TCP socket bound to a port but never
// listening, so every connection to it is refused at once and no other process can take the
// port while the Refusing is open. A gateway route to it is an upstream that refuses.
type Refusing struct {
	// Addr is host:port, the form gateway configs want.
	Addr string
	fd   int
}

// Refuse reserves a refusing port on the IPv4 address ip ("127.0.0.1" or an address inside a
// network namespace the caller has entered).
func Refuse(ip string) (*Refusing, error) {
	addr := net.ParseIP(ip).To4()
	if addr == nil {
		return nil, fmt.Errorf("echo: a refusing port needs an IPv4 address, got %q", ip)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|sockCloexec, 0)
	if err != nil {
		return nil, fmt.Errorf("echo: refusing port: %w", err)
	}
	sa := &syscall.SockaddrInet4{}
	copy(sa.Addr[:], addr)
	if err := syscall.Bind(fd, sa); err != nil {
		_ = syscall.Close(fd)
		return nil, fmt.Errorf("echo: refusing port on %s: %w", ip, err)
	}
	bound, err := syscall.Getsockname(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return nil, fmt.Errorf("echo: refusing port on %s: %w", ip, err)
	}
	port := bound.(*syscall.SockaddrInet4).Port
	return &Refusing{Addr: net.JoinHostPort(ip, fmt.Sprint(port)), fd: fd}, nil
}

// Close releases the port.
func (r *Refusing) Close() error { return syscall.Close(r.fd) }
