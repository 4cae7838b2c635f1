package local

import (
	"net/http"
	"os"
	"testing"

	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/process/processtest"
)

// serveShared plays a gateway whose port another process shares (TRACEGATE_TEST_SERVE_SHARED):
// two SO_REUSEPORT listeners on it, both answering.
func serveShared(port string) {
	for range 2 {
		ln, err := processtest.ListenReusePort("127.0.0.1:" + port)
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
