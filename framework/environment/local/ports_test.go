package local

import (
	"context"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/tracegate/tracegate/framework/process"
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

func TestAGatewaySharingItsPortIsStartedAgainOnNewPorts(t *testing.T) {
	// The first start shares its port with another listener (SO_REUSEPORT, as a second Caddy
	// given the same port would), the second has its port alone.
	env := startAgainOnNewPorts(t, "exec env TRACEGATE_TEST_SERVE_SHARED={{.GatewayPort}} "+os.Args[0],
		"shares its port with another process's listener")
	if n := process.Listeners(env.gateways[""].data.GatewayPort); n != 1 {
		t.Errorf("the gateway kept: expected its port to have 1 listener, got %d", n)
	}
}
