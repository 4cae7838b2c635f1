package process

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Ports for the gateways and the collector are chosen free by the suite and bound by the child
// process later. Two suite processes (Ginkgo's -p, or two runs at once) can be given the same
// free port in between, and Caddy binds with SO_REUSEPORT: a second Caddy on a port shares it
// silently and the kernel splits the connections between the two, so one process's requests are
// traced into the other's receiver (make soak, local-faults: 1 of 200 runs lost two specs' spans
// so). Hence each chosen port is reserved for this process under an abstract Unix socket name
// that every tracegate process checks, and a started gateway's port is checked for a second
// listener.

// Ports holds this process's port reservations until they are released. Its zero value is
// ready to use.
type Ports struct {
	mu   sync.Mutex
	held []net.Listener
	// probe listens on a port for Free to consider; nil: a free port the kernel chooses.
	probe func() (net.Listener, error)
}

// maxPortTries bounds how many ports Free looks at for each one it returns.
const maxPortTries = 100

// Free returns n ports of 127.0.0.1 that are free and not reserved by another tracegate
// process, and reserves them for this one.
func (b *Ports) Free(n int) ([]int, error) {
	var ports []int
	var probes []net.Listener // held until the end, so that the kernel never offers one twice
	defer func() {
		for _, ln := range probes {
			ln.Close()
		}
	}()
	for tries := 0; len(ports) < n; tries++ {
		if tries == maxPortTries*n {
			return nil, fmt.Errorf("no free port of 127.0.0.1 without another tracegate process's reservation after %d tries", tries)
		}
		probe := b.probe
		if probe == nil {
			probe = func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }
		}
		ln, err := probe()
		if err != nil {
			return nil, err
		}
		probes = append(probes, ln)
		p := ln.Addr().(*net.TCPAddr).Port
		lock, err := net.Listen("unix", reservationName(p))
		if errors.Is(err, syscall.EADDRINUSE) {
			continue // another tracegate process holds it for a child of its own
		}
		if err != nil {
			return nil, fmt.Errorf("reserving port %d: %w", p, err)
		}
		b.mu.Lock()
		b.held = append(b.held, lock)
		b.mu.Unlock()
		ports = append(ports, p)
	}
	return ports, nil
}

// Release gives up every reservation, once the processes given those ports have stopped.
func (b *Ports) Release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ln := range b.held {
		ln.Close()
	}
	b.held = nil
}

// reservationName is the abstract Unix socket name (Linux; gone with its process) that
// reserves port p for one tracegate process.
func reservationName(p int) string { return "@tracegate-port-" + strconv.Itoa(p) }

// Listeners counts the TCP sockets listening on port p (any address, IPv4 and IPv6) in this
// network namespace, from /proc/net/tcp and tcp6; 0 if they cannot be read.
func Listeners(p int) int {
	want := fmt.Sprintf(":%04X", p)
	n := 0
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local_address rem_address st ...; st 0A is LISTEN.
			fields := strings.Fields(sc.Text())
			if len(fields) > 3 && fields[3] == "0A" && strings.HasSuffix(fields[1], want) {
				n++
			}
		}
		f.Close()
	}
	return n
}
