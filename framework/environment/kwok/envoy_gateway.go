package kwok

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tracegate/tracegate/framework/config"
)

// envoyGateway runs Envoy Gateway beside a kwok cluster: one controller (provider Custom:
// resource Kubernetes, infrastructure Host) that starts each Gateway's Envoy itself, through
// func-e, in the run's network namespace. Its fixtures: the configuration and the overlay the
// profile names (cluster.kwok.config, rendered with envoyGatewayData; cluster.kwok.overlay),
// and fixtures/kwok/envoy-gateway-in-ns.sh, which gives it /certs.
type envoyGateway struct{}

func init() { Register("envoy-gateway", envoyGateway{}) }

// envoyGatewayInNS runs Envoy Gateway with /certs; named from the profile's directory.
const envoyGatewayInNS = "fixtures/kwok/envoy-gateway-in-ns.sh"

// envoyGatewayReady is its readiness endpoint, on the port Envoy Gateway fixes.
const envoyGatewayReady = "http://127.0.0.1:8081/readyz"

// certFiles are the keys of the certificate Secrets certgen writes.
var certFiles = []string{"ca.crt", "tls.crt", "tls.key"}

func (envoyGateway) Describe(cfg *config.Config) Description {
	ns := cfg.Implementation.Cluster.Controller.Namespace
	return Description{
		Setup: fmt.Sprintf("link bin/%s where Host mode looks for Envoy %s; envoy-gateway certgen; write %s of Secrets %s/envoy-gateway and "+
			"%s/envoy where Host mode reads them",
			profile(cfg).Envoy.Bin(), profile(cfg).Envoy.Version, "ca.crt, tls.crt, tls.key", ns, ns),
		Controller: fmt.Sprintf("start envoy-gateway server in the network namespace (%s), with /certs in a private mount namespace (%s), "+
			"each Gateway's Envoy started by it; %s",
			rel(cfg, profile(cfg).Config), envoyGatewayInNS, DescribeReady(envoyGatewayReady)),
	}
}

// Setup puts the pinned Envoy where Host mode runs it for the version an EnvoyProxy names
// (<dataHome>/envoy-versions/<version>/bin/envoy: func-e would download it otherwise), creates
// the Secrets of the xDS server and of Envoy's client certificate (certgen, without the
// topology injector: no MutatingWebhookConfiguration needed), and writes them where Host mode
// reads them: the xDS server's at /certs (bound there by envoyGatewayInNS), Envoy's under
// configHome. Were that empty, Host mode would make one with a CA of its own, which the xDS
// server would refuse.
func (envoyGateway) Setup(ctx context.Context, h *Host) error {
	work, err := h.WorkDir("controller")
	if err != nil {
		return err
	}
	bin := filepath.Join(work, "data", "envoy-versions", h.EnvoyVersion(), "bin") // as the overlay's EnvoyProxy names it
	for _, d := range []string{filepath.Join(work, "newroot"), bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(bin, "envoy")); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.Symlink(h.EnvoyBin(), filepath.Join(bin, "envoy")); err != nil {
		return err
	}
	ns := h.ControllerNamespace()
	err = h.Run(ctx, Process{Name: "certgen", Work: work, Argv: []string{h.Bin("envoy-gateway"), "certgen", "--disable-topology-injector"},
		Env: map[string]string{"ENVOY_GATEWAY_NAMESPACE": ns}})
	if err != nil {
		return err
	}
	if err := h.WriteSecretFiles(ctx, ns+"/envoy-gateway", filepath.Join(work, "certs"), certFiles...); err != nil {
		return err
	}
	return h.WriteSecretFiles(ctx, ns+"/envoy", filepath.Join(work, "config", "certs", "envoy"), certFiles...)
}

// envoyGatewayData is what its configuration template gets.
type envoyGatewayData struct {
	Work string // the controller's work directory: its configHome, dataHome, stateHome, runtimeDir
}

// StartController starts Envoy Gateway chrooted into a private mount namespace that has
// /certs. Each Envoy it starts inherits its environment (Kubernetes mode sets
// TRACEGATE_ENV_ATTRIBUTE on the proxy's container instead).
func (envoyGateway) StartController(ctx context.Context, h *Host) error {
	work, err := h.WorkDir("controller")
	if err != nil {
		return err
	}
	conf, err := h.RenderConfig(work, envoyGatewayData{Work: work})
	if err != nil {
		return err
	}
	return h.Start(ctx, Process{Name: "controller", Work: work,
		Argv: []string{
			"unshare",
			"--mount",
			"--propagation",
			"private",
			"--",
			"sh",
			filepath.Join(h.Dir(), envoyGatewayInNS),
			filepath.Join(work, "newroot"),
			filepath.Join(work, "certs"),
			h.Bin("envoy-gateway"),
			"server",
			"--config-path",
			conf,
		},
		Env:               map[string]string{"TRACEGATE_ENV_ATTRIBUTE": "from-environment"},
		Ready:             envoyGatewayReady,
		Artifacts:         []string{filepath.Join(work, "state", "envoy-runs", "*", "*")}, // each Envoy's logs
		AdminAddressFiles: filepath.Join(work, "runtime", "*", "admin-address.txt"),
	})
}

// StartGateway does nothing: the controller starts each Gateway's Envoy.
func (envoyGateway) StartGateway(context.Context, *Host, Gateway) error { return nil }
