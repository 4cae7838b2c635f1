// Package kwok is the kwok environment: the shared cluster flow (CRDs, fixtures, status waits,
// artifacts, teardown) against a real control plane on this machine, with the implementation's
// controller outside the cluster and its proxies as local processes. No Docker, no images:
//   - e2e-framework's support/kwok provider creates the cluster with kwokctl's binary runtime:
//     etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the kwok controller
//     (fake nodes), all built from pinned Go modules into bin/ (scripts/build-tools.sh), on
//     127.0.0.1, with every file in the run's work directory;
//   - the implementation's Runner (runner.go; one file per implementation, such as
//     envoy_gateway.go) sets it up and starts its controller (one, or one per Gateway) and, unless
//     the controller starts them, a proxy per Gateway, all in a network namespace the run
//     creates; its profile (implementations.<name>.cluster.kwok) holds only facts: its tools and
//     Envoy, its CRDs, its configuration template, and an overlay of its fixtures that says what
//     differs from a cluster's;
//   - the suite's receiver and echo upstream listen on an address of that namespace, which
//     EndpointSlices accept (not loopback) and nothing outside the run reaches; requests dial
//     the proxies' listeners inside it.
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
	"github.com/tracegate/tracegate/framework/environment/cluster/clusterconfig"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)

// Address is the run's address inside its network namespace, on the namespace's lo: the API
// server refuses loopback addresses in EndpointSlices, so the receiver and the echo upstream
// listen here. 198.18.0.0/15 is the RFC 2544 benchmarking range, clear of kwok's 10.0.0.0/24.
var Address = net.IPv4(198, 18, 0, 1)

// firstListenerPort is the listener port of the main Gateway; each variant's Gateway gets the
// next one. A proxy binds them, plus its profile's listenerPortOffset, in the run's network
// namespace: Envoy with SO_REUSEPORT (two Envoys on one port would share its traffic silently),
// and Envoy Gateway itself holds 8080, 8081, 9443, 18000-18002, 19000, 19001 and 19003 there.
const firstListenerPort = 10080

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
	_ cluster.Overlayer = (*source)(nil)
	_ cluster.Network   = (*source)(nil)
)

// share is what process 1 hands every Ginkgo process of the kwok run (cluster.State.Own).
type share struct {
	Netns   string         `json:"netns"`             // the network namespace's path
	Echo    string         `json:"echo"`              // the echo upstream's address in it
	Kwokctl string         `json:"kwokctl,omitempty"` // the kwokctl of the run's work directory
	Proxies map[string]int `json:"proxies"`           // Gateway name -> the port its proxy listens on
	// Processes are the runner's long-running processes, in start order.
	Processes []procFiles `json:"processes,omitempty"`
}

// Steps implements cluster.Source: the implementation is installed by the run itself, its
// controller and proxies started by its Runner.
func (src *source) Steps(cfg *config.Config) cluster.SourceSteps {
	return cluster.SourceSteps{Cluster: src.clusterSteps(cfg), Install: cluster.Install{Own: src.installSteps(cfg)},
		Started: src.startSteps(cfg), Ready: src.readySteps(cfg), Teardown: src.teardownSteps(cfg)}
}

// clusterSteps are the preflight, tools and cluster steps.
func (src *source) clusterSteps(cfg *config.Config) []cluster.Step {
	k, kc := profile(cfg), kwokconfig.Settings(cfg)
	work := WorkDir(cfg)
	return []cluster.Step{
		cluster.NewStep(cluster.PhasePreflight, fmt.Sprintf("check %s's kwok profile and root; lock the work directory %s, "+
			"clearing a killed run's",
			cfg.Implementation.Name, rel(cfg, work)), src.preflight),
		cluster.NewStep(cluster.PhaseTools, fmt.Sprintf("build %s unless built (scripts/build-tools.sh); install Envoy %s as bin/%s",
			strings.Join(toolNames(cfg), ", "), k.Envoy.Version, k.Envoy.Bin()), buildTools),
		cluster.NewStep(
			cluster.PhaseCluster,
			fmt.Sprintf("create a network namespace with %s/32 for the echo upstream", Address),
			src.createNamespace,
		),
		cluster.NewStep(cluster.PhaseCluster, fmt.Sprintf("create kwok cluster %s from %s (kwokctl's binary runtime on 127.0.0.1)",
			kc.Name, rel(cfg, kc.Config)), src.createCluster),
		cluster.NewStep(cluster.PhaseCluster, "bridge the API server's port into the network namespace", src.bridgeAPIServer),
		cluster.NewStep(
			cluster.PhaseCluster,
			fmt.Sprintf("create the fake node %s; wait %s: every node Ready", nodeName, clusterconfig.WaitClusterReady),
			src.createNode,
		),
	}
}

// installSteps are the implementation's CRDs from its module, its
// runner's setup, and its controller as a process in the network namespace (unless the runner
// starts one per Gateway).
func (src *source) installSteps(cfg *config.Config) []cluster.Step {
	k, d := profile(cfg), describe(cfg)
	var steps []cluster.Step
	if k != nil && k.CRDs != nil {
		steps = append(steps, cluster.NewStep(cluster.PhaseHelm, fmt.Sprintf("create the CRDs of module %s (%s) unless present; wait %s: "+
			"Established",
			k.CRDs.Module, strings.Join(k.CRDs.Files, ", "), clusterconfig.WaitInstallReady), installCRDs))
	}
	var what []string
	if ns := cfg.Implementation.Cluster.Controller.Namespace; ns != "" {
		what = append(what, "create namespace "+ns)
	}
	if d.Setup != "" {
		what = append(what, d.Setup)
	}
	if len(what) > 0 {
		steps = append(steps, cluster.NewStep(cluster.PhaseHelm, strings.Join(what, "; "), src.setup))
	}
	if d.Controller != "" {
		steps = append(steps, cluster.NewStep(cluster.PhaseHelm, d.Controller, src.startController))
	}
	return steps
}

// startSteps: what serves each Gateway starts once the fixtures
// (and the run's namespace) exist, Gateway by Gateway (startPerGateway).
func (src *source) startSteps(cfg *config.Config) []cluster.Step {
	d := describe(cfg)
	if d.Gateway == "" {
		return nil
	}
	return []cluster.Step{cluster.NewStep(cluster.PhaseFixtures, "for each Gateway, "+d.Gateway, src.startPerGateway)}
}

// DescribeReady says what the readiness wait of a process with a ready URL is, for a Runner's
// Description.
func DescribeReady(url string) string {
	return fmt.Sprintf("wait %s: %s answers 200", kwokconfig.WaitControllerReady, url)
}

// DescribeReceiverBind implements cluster.Source.
func (*source) DescribeReceiverBind(*config.Config) string {
	return "the network namespace's " + Address.String()
}

// ReceiverBind implements cluster.Source.
func (*source) ReceiverBind(context.Context, *cluster.State) (string, error) {
	return Address.String(), nil
}

// Listen implements cluster.Network: the receiver listens inside the network namespace.
func (src *source) Listen(_ *cluster.State, network, addr string) (net.Listener, error) {
	if src.run == nil || src.run.ns == nil {
		return nil, fmt.Errorf("the network namespace of the run does not exist yet")
	}
	return src.run.ns.Listen(network, addr)
}

// Refuse implements cluster.Network: the refusing port is in the run's network namespace.
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
	if k := profile(cfg); k != nil {
		return k.Overlay
	}
	return ""
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

// readySteps wait for what status does not show: Envoy's listeners.
func (src *source) readySteps(cfg *config.Config) []cluster.Step {
	return []cluster.Step{cluster.NewStep(cluster.PhaseFixtures,
		fmt.Sprintf("wait %s: the proxy accepts connections on every Gateway's listener (%s:%d and up): Programmed may come from stand-ins",
			kwokconfig.WaitListenerReady, Address, firstListenerPort+profile(cfg).ListenerPortOffset), src.awaitListeners)}
}

// DescribeReach implements cluster.Network.
func (*source) DescribeReach(*config.Config) string {
	return fmt.Sprintf("each Ginkgo process dials the Gateways' listeners at %s:<port> inside the network namespace (no port-forward: "+
		"the proxies are local processes)", Address)
}

// teardownSteps stop what the run started and delete the cluster.
func (src *source) teardownSteps(cfg *config.Config) []cluster.Step {
	return []cluster.Step{
		cluster.NewStep(
			cluster.PhaseTeardown,
			fmt.Sprintf("stop the proxies, controllers, echo and bridge (SIGKILL after wait %s)", config.WaitGatewayStop),
			src.stopProcesses,
		),
		cluster.NewStep(cluster.PhaseTeardown, fmt.Sprintf("delete kwok cluster %s and its work directory unless kept; close the namespace",
			kwokconfig.Settings(cfg).Name), src.deleteCluster),
	}
}

// gatewayOrder is the profile's Gateways: the main one first, then the variants' in name order.
func gatewayOrder(cfg *config.Config) []string {
	p := cfg.Implementation.Cluster
	out := []string{p.Gateway}
	for _, v := range slices.Sorted(maps.Keys(p.Variants)) {
		out = append(out, p.Variants[v])
	}
	return out
}

// gateways are the profile's Gateways with their listener ports, in gatewayOrder from
// firstListenerPort.
func gateways(cfg *config.Config) map[string]int {
	ports := map[string]int{}
	for i, gw := range gatewayOrder(cfg) {
		ports[gw] = firstListenerPort + i
	}
	return ports
}

// profile is the implementation's kwok profile, or nil.
func profile(cfg *config.Config) *kwokconfig.Profile {
	if k := kwokconfig.Settings(cfg); k != nil {
		return k.Profile
	}
	return nil
}

// toolNames are what scripts/build-tools.sh builds for the run: the control plane and the
// implementation's tools.
func toolNames(cfg *config.Config) []string {
	names := []string{"etcd", "kubernetes", "kwok"}
	if k := profile(cfg); k != nil {
		names = append(names, k.Tools...)
	}
	return names
}

// rel names a path relative to the config directory when it is inside it, for shorter plans.
func rel(cfg *config.Config, path string) string {
	if r, err := filepath.Rel(cfg.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
