package cluster

import (
	"context"
	"net"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
)

// What a Source may add to the shared plan, or replace in it, where its cluster differs. The
// kind and existing sources implement none of these; kwok implements all of them, because its
// implementation's controller and proxies run on this machine rather than in the cluster. Each
// is checked with a type assertion, so a new Source opts into exactly what it needs.
type (
	// Installer installs the implementation itself instead of with the profile's Helm charts
	// (kwok: the CRDs from the implementation's Go module, the controller as a local process).
	// Its steps replace the Helm steps and the wait for the controller's Deployment.
	Installer interface {
		InstallSteps(cfg *config.Config) []Step
	}

	// Listener opens the receiver's listener where the proxies reach it (kwok: inside the run's
	// network namespace), instead of on this machine's network.
	Listener interface {
		Listen(s *State, network, addr string) (net.Listener, error)
	}

	// Refuser reserves, where the proxies reach it, a port that refuses every connection (the
	// StatusMatrix feature's refusing upstream), instead of on this machine's network.
	Refuser interface {
		Refuse(s *State, ip string) (*echo.Refusing, error)
	}

	// Overlayer changes the profile's fixtures where its cluster needs them to differ, with an
	// overlay of documents each marked add, merge or remove (overlay.go). The overlay's
	// templates get the same data as the fixtures, with OverlayValues as .Source.
	Overlayer interface {
		// Overlay is the overlay file, rendered like a fixture.
		Overlay(cfg *config.Config) string
		// OverlayValues are the values the overlay needs that only the run knows (ports,
		// addresses), once the receiver runs.
		OverlayValues(s *State) (map[string]any, error)
	}

	// Starter adds steps after the fixtures are created and before their status is waited on
	// (kwok: a controller or proxy per Gateway, which needs the run's namespace and Gateways).
	Starter interface {
		StartSteps(cfg *config.Config) []Step
	}

	// Readier adds waits after the fixtures' status waits, for what status does not show
	// (kwok: Envoy's listener answering, since Programmed there comes from stand-ins).
	Readier interface {
		ReadySteps(cfg *config.Config) []Step
	}

	// Reacher reaches the Gateways directly, instead of through a port-forward to a proxy pod
	// (kwok: the proxies are local processes, in the run's network namespace).
	Reacher interface {
		// DescribeReach says how, for the plan.
		DescribeReach(cfg *config.Config) string
		// Reach gives one Ginkgo process its way to the Gateways, from what process 1 shared.
		Reach(ctx context.Context, cfg *config.Config, sh Shared) (Reach, error)
	}
)

// Reach is one Ginkgo process's way to the Gateways of a Reacher.
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
