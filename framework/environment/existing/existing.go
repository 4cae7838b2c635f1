// Package existing is the existing environment: a cluster from KUBECONFIG with the Gateway API
// CRDs and the implementation already installed. The run installs nothing; it creates its own
// namespace and removes it at the end, and touches nothing else.
package existing

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
)

// New returns the provider of an existing-cluster environment.
func New(cfg *config.Config, log io.Writer) *cluster.Provider {
	return &cluster.Provider{Config: cfg, Log: log, Source: source{}}
}

type source struct{}

// Steps implements cluster.Source: an existing cluster brings its own CRDs and implementation,
// and is not the run's to delete.
func (source) Steps(cfg *config.Config) cluster.SourceSteps {
	cl := cfg.Cluster
	where := fmt.Sprintf("kubeconfig %s", or(cl.Kubeconfig, "$KUBECONFIG (or ~/.kube/config)"))
	if cl.Context != "" {
		where += ", context " + cl.Context
	}
	return cluster.SourceSteps{Install: cluster.Install{Installed: true}, Cluster: []cluster.Step{
		cluster.NewStep(
			cluster.PhaseCluster,
			fmt.Sprintf("use the cluster of %s; wait %s: every node Ready", where, clusterconfig.WaitClusterReady),
			func(ctx context.Context, s *cluster.State) error {
				// The real file and context, so that the kubectl commands of a failure's
				// artifacts reach this cluster from any shell.
				kubeconfig, kubeContext, err := cluster.ResolveKubeconfig(cl.Kubeconfig, cl.Context, os.Getenv)
				if err != nil {
					return err
				}
				s.Kubeconfig, s.Context = kubeconfig, kubeContext
				return cluster.AwaitNodesReady(ctx, s)
			},
		),
	}}
}

// ReceiverBind implements cluster.Source: the address the config names, or for auto this
// machine's address on the route to the API server, which a cluster on the same network
// reaches. A loopback route (a port-forwarded or local API server) cannot be reached from pods.
func (source) ReceiverBind(ctx context.Context, s *cluster.State) (string, error) {
	rc := s.Config.Cluster.Receiver
	if rc.Bind != config.ReceiverAuto {
		return rc.Bind, nil
	}
	host, err := cluster.APIServerHost(s)
	if err != nil {
		return "", err
	}
	ip, err := RouteAddress(ctx, host)
	if err != nil {
		return "", err
	}
	if ip.IsLoopback() && rc.Advertise == "" {
		return "", fmt.Errorf("the API server %s is reached over loopback, so pods cannot reach a receiver found that way: "+
			"set environments.%s.receiver.bind and advertise (for a kind cluster, use the kind environment)",
			host, s.Config.Environment.Name)
	}
	return ip.String(), nil
}

// RouteAddress is the local address the kernel picks to reach host (a UDP "connection" sends
// nothing).
func RouteAddress(ctx context.Context, host string) (netip.Addr, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", net.JoinHostPort(host, "443"))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("finding this machine's address towards %s: %w", host, err)
	}
	defer conn.Close()
	ap, err := netip.ParseAddrPort(conn.LocalAddr().String())
	if err != nil {
		return netip.Addr{}, err
	}
	return ap.Addr().Unmap(), nil
}

func (source) DescribeReceiverBind(cfg *config.Config) string {
	if b := cfg.Cluster.Receiver.Bind; b != config.ReceiverAuto {
		return b
	}
	return "this machine's address on the route to the API server"
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
