package process

import (
	"net"
	"strconv"
	"testing"

	"github.com/tracegate/tracegate/framework/process/processtest"
)

func mustListenReusePort(t *testing.T, addr string) net.Listener {
	t.Helper()
	ln, err := processtest.ListenReusePort(addr)
	if err != nil {
		t.Fatalf("listen %s with SO_REUSEPORT: %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func TestListenersSeesASharedPort(t *testing.T) {
	first := mustListenReusePort(t, "127.0.0.1:0")
	p := first.Addr().(*net.TCPAddr).Port
	if got := Listeners(p); got != 1 {
		t.Fatalf("Listeners(%d) with one listener: expected 1, got %d", p, got)
	}
	mustListenReusePort(t, first.Addr().String())
	if got := Listeners(p); got != 2 {
		t.Fatalf("Listeners(%d) with a second SO_REUSEPORT listener: expected 2, got %d", p, got)
	}
}

func TestFreePortsReservesUntilReleased(t *testing.T) {
	var book Ports
	ports, err := book.Free(3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] {
			t.Fatalf("Free(3) returned port %d twice: %v", p, ports)
		}
		seen[p] = true
		// Another tracegate process trying the same port finds it reserved.
		if ln, err := net.Listen("unix", reservationName(p)); err == nil {
			ln.Close()
			t.Fatalf("port %d: expected its reservation %q to be held, but it could be taken", p, reservationName(p))
		}
	}
	book.Release()
	for _, p := range ports {
		ln, err := net.Listen("unix", reservationName(p))
		if err != nil {
			t.Fatalf("port %d after release: expected its reservation to be free, got %v", p, err)
		}
		ln.Close()
	}
}

func TestFreePortsSkipsAPortReservedElsewhere(t *testing.T) {
	var other Ports // another tracegate process
	taken, err := other.Free(1)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	// The kernel offers this process the port the other reserved (free in TCP: nothing binds it
	// until the other's gateway starts), then any port.
	offers := 0
	mine := Ports{probe: func() (net.Listener, error) {
		offers++
		if offers == 1 {
			return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(taken[0])))
		}
		return net.Listen("tcp", "127.0.0.1:0")
	}}
	defer mine.Release()
	ports, err := mine.Free(1)
	if err != nil {
		t.Fatal(err)
	}
	if ports[0] == taken[0] || offers != 2 {
		t.Fatalf("expected the reserved port %d to be skipped for the next offer, got port %d after %d offers", taken[0], ports[0], offers)
	}
}
