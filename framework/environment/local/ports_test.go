package local

import (
	"context"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
)

// listenReusePort listens on addr with SO_REUSEPORT, as Caddy does.
func listenReusePort(addr string) (net.Listener, error) {
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

func mustListenReusePort(t *testing.T, addr string) net.Listener {
	t.Helper()
	ln, err := listenReusePort(addr)
	if err != nil {
		t.Fatalf("listen %s with SO_REUSEPORT: %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// serveShared plays a gateway whose port another process shares (TRACEGATE_TEST_SERVE_SHARED):
// two SO_REUSEPORT listeners on it, both answering.
func serveShared(port string) {
	for range 2 {
		ln, err := listenReusePort("127.0.0.1:" + port)
		if err != nil {
			os.Exit(1)
		}
		go http.Serve(ln, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	}
	select {}
}

func TestListenersSeesASharedPort(t *testing.T) {
	first := mustListenReusePort(t, "127.0.0.1:0")
	p := first.Addr().(*net.TCPAddr).Port
	if got := listeners(p); got != 1 {
		t.Fatalf("listeners(%d) with one listener: expected 1, got %d", p, got)
	}
	mustListenReusePort(t, first.Addr().String())
	if got := listeners(p); got != 2 {
		t.Fatalf("listeners(%d) with a second SO_REUSEPORT listener: expected 2, got %d", p, got)
	}
}

func TestFreePortsReservesUntilReleased(t *testing.T) {
	var book portBook
	ports, err := book.freePorts(3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] {
			t.Fatalf("freePorts(3) returned port %d twice: %v", p, ports)
		}
		seen[p] = true
		// Another tracegate process trying the same port finds it reserved.
		if ln, err := net.Listen("unix", reservationName(p)); err == nil {
			ln.Close()
			t.Fatalf("port %d: expected its reservation %q to be held, but it could be taken", p, reservationName(p))
		}
	}
	book.release()
	for _, p := range ports {
		ln, err := net.Listen("unix", reservationName(p))
		if err != nil {
			t.Fatalf("port %d after release: expected its reservation to be free, got %v", p, err)
		}
		ln.Close()
	}
}

func TestFreePortsSkipsAPortReservedElsewhere(t *testing.T) {
	var other portBook // another tracegate process
	taken, err := other.freePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	defer other.release()
	// The kernel offers this process the port the other reserved (free in TCP: nothing binds it
	// until the other's gateway starts), then any port.
	offers := 0
	mine := portBook{probe: func() (net.Listener, error) {
		offers++
		if offers == 1 {
			return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(taken[0])))
		}
		return net.Listen("tcp", "127.0.0.1:0")
	}}
	defer mine.release()
	ports, err := mine.freePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	if ports[0] == taken[0] || offers != 2 {
		t.Fatalf("expected the reserved port %d to be skipped for the next offer, got port %d after %d offers", taken[0], ports[0], offers)
	}
}

func TestAGatewaySharingItsPortIsStartedAgainOnNewPorts(t *testing.T) {
	// The first start shares its port with another listener (SO_REUSEPORT, as a second Caddy
	// given the same port would), the second has its port alone.
	env := startAgainOnNewPorts(t, "exec env TRACEGATE_TEST_SERVE_SHARED={{.GatewayPort}} "+os.Args[0],
		"shares its port with another process's listener")
	if n := listeners(env.gateways[""].data.GatewayPort); n != 1 {
		t.Errorf("the gateway kept: expected its port to have 1 listener, got %d", n)
	}
}
