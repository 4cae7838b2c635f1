package cluster

import (
	"context"
	"net"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
)

// A Source (provider.go) is a small core; where a cluster differs further, a Source adds one
// of these named capabilities, each checked with a type assertion, as e2e-framework's
// providers add theirs. The kind and existing sources keep the gateways in the cluster; kwok
// runs them on this machine, on a network of its own.
type (
	// Overlayer changes the profile's fixtures where its cluster needs them to differ, with an
	// overlay of documents each marked add, merge or remove (overlay.go): kwok (its local
	// processes) and kind (the images built on this machine). The overlay's templates get the
	// same data as the fixtures, with OverlayValues as .Source.
	Overlayer interface {
		// Overlay is the overlay file, rendered like a fixture; "" for none.
		Overlay(cfg *config.Config) string
		// OverlayValues are the values the overlay needs that only the run knows (ports,
		// addresses), once the receiver runs.
		OverlayValues(s *State) (map[string]any, error)
	}

	// Network runs the gateways' proxies on a network of its own instead of in the cluster
	// (kwok: a network namespace of this machine). The receiver and the refusing port of the
	// StatusMatrix feature listen there, and each Ginkgo process dials the Gateways there
	// instead of port-forwarding to a proxy pod.
	Network interface {
		// Listen opens the receiver's listener on that network.
		Listen(s *State, network, addr string) (net.Listener, error)
		// Refuse reserves there a port that refuses every connection.
		Refuse(s *State, ip string) (*echo.Refusing, error)
		// DescribeReach says how the processes reach the Gateways, for the plan.
		DescribeReach(cfg *config.Config) string
		// Reach gives one Ginkgo process its way to the Gateways, from what process 1 shared
		// (Shared.ReadOwn reads the Source's own part).
		Reach(ctx context.Context, cfg *config.Config, sh Shared) (Reach, error)
	}
)

// Reach is one Ginkgo process's way to the Gateways of a Network.
type Reach interface {
	// GatewayURL is the base URL of a Gateway's listener.
	GatewayURL(ctx context.Context, gateway string) (string, error)
	// DialContext dials the addresses of those URLs (http.Transport.DialContext's shape).
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
	// Endpoints are added to the environment's: where things run, commands that reach them.
	Endpoints() map[string]string
	// CollectArtifacts writes what runs outside the cluster (the controller's and the
	// proxies' logs, Envoy's config) into dir.
	CollectArtifacts(ctx context.Context, dir string) error
	// Close releases what the Reach holds.
	Close() error
}
