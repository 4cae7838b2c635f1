package kwok

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/tracegate/tracegate/framework/config"
)

// contour runs Contour beside a kwok cluster: one Contour per Gateway (static mode,
// gateway.gatewayRef), each with its own tracing configuration, and one Envoy per Gateway
// bootstrapped by it. Its fixtures: the configuration and the overlay the profile names
// (cluster.kwok.config, rendered for each Gateway with contourData; cluster.kwok.overlay).
type contour struct{}

func init() { Register("contour", contour{}) }

// contourData is what the configuration template gets.
type contourData struct {
	Namespace   string // the run's namespace
	Gateway     string // the Gateway this Contour serves
	Variant     string // "" for the main Gateway
	ServiceName string // implementations.<name>.serviceName
}

func (contour) Describe(cfg *config.Config) Description {
	return Description{Gateway: fmt.Sprintf(
		"start a contour serve in the network namespace (%s; xDS, health, debug and stats on the Gateway's ports of 127.0.0.1); %s; "+
			"then bootstrap its Envoy (contour bootstrap, admin on a unix socket) and start it, spans flushed at the environment's exportDelay",
		rel(cfg, profile(cfg).Config),
		DescribeReady("its /healthz"),
	)}
}

func (contour) Setup(context.Context, *Host) error { return nil }

func (contour) StartController(context.Context, *Host) error { return nil }

// StartGateway starts the Gateway's Contour, then bootstraps and starts its Envoy.
// --disable-feature: the Gateway API v1.6.1 CRDs no longer serve the TLSRoute, TCPRoute and
// BackendTLSPolicy versions Contour 1.33 watches; without each, Contour exits at once ("failed
// to create informer").
func (contour) StartGateway(ctx context.Context, h *Host, gw Gateway) error {
	cfg := h.Config()
	work, err := h.WorkDir("controller " + gw.Name)
	if err != nil {
		return err
	}
	conf, err := h.RenderConfig(work, contourData{
		Namespace:   gw.Namespace,
		Gateway:     gw.Name,
		Variant:     gw.Variant,
		ServiceName: cfg.Implementation.ServiceName,
	})
	if err != nil {
		return err
	}
	port := func(i int) string { return strconv.Itoa(gw.Ports[i]) }
	err = h.Start(ctx, Process{Name: "controller " + gw.Name, Work: work,
		Argv: []string{h.Bin("contour"), "serve", "--kubeconfig", h.Kubeconfig(), "--insecure", "--disable-leader-election", "-c", conf,
			"--xds-address", "127.0.0.1", "--xds-port", port(0),
			"--http-address", "127.0.0.1", "--http-port", port(1), "--health-address", "127.0.0.1", "--health-port", port(1),
			"--debug-http-address", "127.0.0.1", "--debug-http-port", port(2),
			"--stats-address", "127.0.0.1", "--stats-port", port(3),
			"--disable-feature=tlsroutes", "--disable-feature=tcproutes", "--disable-feature=backendtlspolicies"},
		Ready: "http://127.0.0.1:" + port(1) + "/healthz",
	})
	if err != nil {
		return err
	}
	proxy, err := h.WorkDir("proxy " + gw.Name)
	if err != nil {
		return err
	}
	bootstrap, admin := filepath.Join(proxy, "bootstrap.json"), filepath.Join(proxy, "admin.sock")
	err = h.Run(ctx, Process{Name: "proxy " + gw.Name + " bootstrap", Work: proxy,
		Argv: []string{h.Bin("contour"), "bootstrap", bootstrap, "--xds-address", "127.0.0.1", "--xds-port", port(0), "--admin-address", admin}})
	if err != nil {
		return err
	}
	// The static runtime layer comes after the bootstrap's and wins: spans flushed at the
	// environment's exportDelay, one at a time (Envoy's defaults are 5000 ms or 5 spans).
	runtime := fmt.Sprintf(
		`{"layered_runtime":{"layers":[{"name":"tracegate","static_layer":{`+
			`"tracing.opentelemetry.flush_interval_ms":%d,"tracing.opentelemetry.min_flush_spans":1}}]}}`,
		cfg.Environment.ExportDelay.Milliseconds(),
	)
	return h.Start(ctx, Process{Name: "proxy " + gw.Name, Work: proxy,
		Argv: []string{h.EnvoyBin(), "-c", bootstrap, "--config-yaml", runtime,
			"--service-cluster", "contour", "--service-node", gw.Name, "--disable-hot-restart", "--log-level", "info"},
		AdminSocket: admin,
	})
}
