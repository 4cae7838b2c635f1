// Package environment defines what specs need from the place the gateway runs; local/, kind/,
// kwok/ and existing/ implement it.
package environment

import (
	"context"
	"net"

	"github.com/tracegate/tracegate/framework/spans"
)

// Environment is a running gateway with a span receiver behind it.
type Environment interface {
	// GatewayURL is the base URL requests are sent to.
	GatewayURL() string
	// Spans is where the spans the gateway exported are looked up.
	Spans() spans.Source
	// Variant returns the URL of a differently configured instance of the gateway, named by
	// the implementation profile (e.g. "sampling-zero"), bringing it up on first use.
	Variant(ctx context.Context, name string) (string, error)
	// Endpoints names every address a person debugging a failure may want, e.g. "gateway".
	Endpoints() map[string]string
	// CollectArtifacts writes what the environment knows about a failure (logs, config) into dir.
	CollectArtifacts(dir string) error
	// Stop tears everything down. It is safe to call more than once.
	Stop(ctx context.Context) error
}

// Diagnosable is an Environment that can say what its receiver got: requests per protocol,
// spans stored and dropped. A span that never arrived is reported with it.
type Diagnosable interface {
	ReceiverStats() string
	// Exited describes each of the environment's processes that has ended (a gateway that
	// died mid-run), with how and its last output; empty while all run.
	Exited() []string
}

// Dialing is an Environment whose gateway may be reached only through its own dialer, such as
// one into a network namespace of the run (kwok). Dialer returns nil when this machine's
// network reaches the gateway.
type Dialing interface {
	Dialer() func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Provider brings an environment up for a whole Ginkgo run, which may span parallel processes.
type Provider interface {
	// Provision runs once, on Ginkgo process 1, before any spec: it builds or installs what all
	// processes share (a gateway binary, a cluster). Its result is handed to every Connect.
	Provision(ctx context.Context) ([]byte, error)
	// Connect gives one process its own view of the environment.
	Connect(ctx context.Context, shared []byte) (Environment, error)
	// Teardown runs once, on process 1, after every process has finished.
	Teardown(ctx context.Context) error
}
