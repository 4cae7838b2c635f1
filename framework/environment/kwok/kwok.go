// Package kwok is the kwok environment: the shared cluster flow (CRDs, fixtures, status waits,
// artifacts, teardown) against a real control plane on this machine, with Envoy Gateway
// outside the cluster and its Envoys as local processes. No Docker, no images:
//   - e2e-framework's support/kwok provider creates the cluster with kwokctl's binary runtime:
//     etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the kwok controller
//     (fake nodes), all built from pinned Go modules into bin/ (scripts/build-tools.sh), on
//     127.0.0.1, with every file in the run's work directory;
//   - Envoy Gateway (provider Custom: resource Kubernetes, infrastructure Host) runs in a
//     network namespace the run creates, in a private mount namespace that gives it /certs,
//     and starts the pinned Envoy (bin/envoy) for each Gateway;
//   - the suite's receiver and echo upstream listen on an address of that namespace, which
//     EndpointSlices accept (not loopback) and nothing outside the run reaches; requests dial
//     Envoy's listeners inside it.
//
// Where Host mode needs the profile's fixtures to differ, fixtures/kwok/overlay says so.
package kwok

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/cluster/clustertype"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwoktype"
)

// Address is the run's address inside its network namespace, on the namespace's lo: the API
// server refuses loopback addresses in EndpointSlices, so the receiver and the echo upstream
// listen here. 198.18.0.0/15 is the RFC 2544 benchmarking range, clear of kwok's 10.0.0.0/24.
var Address = net.IPv4(198, 18, 0, 1)

// firstListenerPort is the listener port of the main Gateway; each variant's Gateway gets the
// next one. Host mode binds listener ports as they are, Envoy with SO_REUSEPORT (two Envoys on
// one port would share its traffic silently), and Envoy Gateway itself holds 8080, 8081,
// 9443, 18000-18002, 19000, 19001 and 19003 in the same namespace.
const firstListenerPort = 10080

// Implementation is the one implementation this environment runs: the controller must be able
// to run outside a cluster with local proxies.
const Implementation = "envoy-gateway"

// New returns the provider of a kwok environment.
func New(cfg *config.Config, log io.Writer) *cluster.Provider {
	return &cluster.Provider{Config: cfg, Log: log, Source: &source{log: log}}
}

// source is the kwok cluster.Source. On Ginkgo process 1 it holds what the run started.
type source struct {
	log io.Writer
	run *run
}

var (
	_ cluster.Source    = (*source)(nil)
	_ cluster.Installer = (*source)(nil)
	_ cluster.Listener  = (*source)(nil)
	_ cluster.Overlayer = (*source)(nil)
	_ cluster.Readier   = (*source)(nil)
	_ cluster.Reacher   = (*source)(nil)
)

// Steps implements cluster.Source.
func (src *source) Steps(cfg *config.Config) []cluster.Step {
	k := kwoktype.Settings(cfg)
	work := WorkDir(cfg)
	return []cluster.Step{
		cluster.NewStep(cluster.PhasePreflight, fmt.Sprintf("check that the implementation is %s and that a network namespace can be made (root), take the work directory %s (a lock: one run at a time), delete what a killed run left there",
			Implementation, rel(cfg, work)), src.preflight),
		cluster.NewStep(cluster.PhaseTools, "build the pinned etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, kwokctl and envoy-gateway into bin/ unless built (scripts/build-tools.sh: about 20 minutes the first time, with progress), install Envoy 1.39.1, the version Envoy Gateway v1.9.1 deploys (scripts/install-envoy.sh bin/"+EnvoyBin+")",
			buildTools),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("create a network namespace with lo up and %s/32; the echo upstream listens there on a free port", Address), src.createNamespace),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("create kwok cluster %s from %s with kwokctl's binary runtime on 127.0.0.1 (e2e-framework kwok provider; KWOK_WORKDIR and the kubeconfig in %s)",
			k.Name, rel(cfg, k.Config), rel(cfg, work)), src.createCluster),
		cluster.NewStep(cluster.PhaseCluster, "bridge the API server's 127.0.0.1 port into the network namespace, so the same kubeconfig works there", src.bridgeAPIServer),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("create the fake node %s; wait %s: every node Ready", nodeName, clustertype.WaitClusterReady), src.createNode),
	}
}

// Installs implements cluster.Source: the run installs the CRDs and the implementation.
func (*source) Installs() bool { return true }

// InstallSteps implements cluster.Installer: Envoy Gateway's CRDs from its module, certgen,
// and the controller as a process in the network namespace.
func (src *source) InstallSteps(cfg *config.Config) []cluster.Step {
	c := cfg.Implementation.Cluster.Controller
	return []cluster.Step{
		cluster.NewStep(cluster.PhaseHelm, fmt.Sprintf("create Envoy Gateway's CRDs from its Go module (tools/envoy-gateway: charts/gateway-crds-helm/templates/generated, template lines left out) unless present; wait %s: Established",
			clustertype.WaitInstallReady), installCRDs),
		cluster.NewStep(cluster.PhaseHelm, fmt.Sprintf("create namespace %s, run envoy-gateway certgen against the cluster, write its certificates for the xDS server (/certs) and for Envoy", c.Namespace), src.certgen),
		cluster.NewStep(cluster.PhaseHelm, fmt.Sprintf("start envoy-gateway server (provider Custom: resource Kubernetes, infrastructure Host; config %s) in the network namespace and a private mount namespace (%s), with bin/envoy as its Envoy; wait %s: :8081/readyz",
			rel(cfg, filepath.Join(cfg.Dir, egConfigTemplate)), rel(cfg, filepath.Join(cfg.Dir, egHelper)), kwoktype.WaitControllerReady), src.startEnvoyGateway),
	}
}

// DescribeReceiverBind implements cluster.Source.
func (*source) DescribeReceiverBind(*config.Config) string {
	return "the network namespace's " + Address.String()
}

// ReceiverBind implements cluster.Source.
func (*source) ReceiverBind(context.Context, *cluster.State) (string, error) {
	return Address.String(), nil
}

// Listen implements cluster.Listener: the receiver listens inside the network namespace.
func (src *source) Listen(_ *cluster.State, network, addr string) (net.Listener, error) {
	if src.run == nil || src.run.ns == nil {
		return nil, fmt.Errorf("the network namespace of the run does not exist yet")
	}
	return src.run.ns.Listen(network, addr)
}

// Refuse implements cluster.Refuser: the refusing port is in the run's network namespace.
func (src *source) Refuse(_ *cluster.State, ip string) (*echo.Refusing, error) {
	if src.run == nil || src.run.ns == nil {
		return nil, fmt.Errorf("the network namespace of the run does not exist yet")
	}
	var r *echo.Refusing
	err := src.run.ns.Do(func() (err error) { r, err = echo.Refuse(ip); return err })
	return r, err
}

// Overlay implements cluster.Overlayer.
func (*source) Overlay(cfg *config.Config) string {
	return filepath.Join(cfg.Dir, "fixtures", "kwok", "overlay", cfg.Implementation.Name+".yaml.tmpl")
}

// OverlayValues implements cluster.Overlayer: what fixtures/kwok/overlay/*.yaml.tmpl read as
// .Source.
func (src *source) OverlayValues(*cluster.State) (map[string]any, error) {
	r := src.run
	if r == nil || r.echo == nil {
		return nil, fmt.Errorf("the echo upstream of the run is not running")
	}
	_, echoPort, _ := net.SplitHostPort(r.echo.Addr)
	return map[string]any{
		"Address":             Address.String(),
		"EchoPort":            echoPort,
		"ListenerPorts":       r.ports,
		"EnvoyVersion":        r.envoyVersion,
		"ControllerNamespace": r.cfg.Implementation.Cluster.Controller.Namespace,
		"NodeName":            nodeName,
	}, nil
}

// ReadySteps implements cluster.Readier.
func (src *source) ReadySteps(cfg *config.Config) []cluster.Step {
	return []cluster.Step{cluster.NewStep(cluster.PhaseFixtures,
		fmt.Sprintf("wait %s: Envoy accepts connections on every Gateway's listener (%s:%d and up): under Host infrastructure Programmed comes from the stand-ins",
			kwoktype.WaitListenerReady, Address, firstListenerPort), src.awaitListeners)}
}

// DescribeReach implements cluster.Reacher.
func (*source) DescribeReach(*config.Config) string {
	return fmt.Sprintf("each Ginkgo process dials the Gateways' listeners at %s:<port> inside the network namespace (no port-forward: Envoy is a local process)", Address)
}

// TeardownSteps implements cluster.Source.
func (src *source) TeardownSteps(cfg *config.Config) []cluster.Step {
	return []cluster.Step{
		cluster.NewStep(cluster.PhaseTeardown, fmt.Sprintf("stop envoy-gateway (SIGTERM, which stops its Envoys; SIGKILL after wait %s), the echo upstream and the API server bridge", config.WaitGatewayStop), src.stopProcesses),
		cluster.NewStep(cluster.PhaseTeardown, fmt.Sprintf("delete kwok cluster %s and the work directory, unless kept (cluster.keep, E2E_KEEP=1 or DEBUG=1: the next run deletes it); close the network namespace, release the lock",
			kwoktype.Settings(cfg).Name), src.deleteCluster),
	}
}

// gateways are the profile's Gateways, the main one first, then the variants' in name order,
// each with its listener port.
func gateways(cfg *config.Config) map[string]int {
	p := cfg.Implementation.Cluster
	ports := map[string]int{p.Gateway: firstListenerPort}
	for i, v := range slices.Sorted(maps.Keys(p.Variants)) {
		ports[p.Variants[v]] = firstListenerPort + 1 + i
	}
	return ports
}

// rel names a path relative to the config directory when it is inside it, for shorter plans.
func rel(cfg *config.Config, path string) string {
	if r, err := filepath.Rel(cfg.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
