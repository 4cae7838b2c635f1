package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"slices"
	"sync"

	"k8s.io/client-go/rest"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/internal/render"
)

// Environment is one Ginkgo process's view of a provisioned cluster: its own port-forwards to
// the gateway proxies, and the spans of the receiver on process 1.
type Environment struct {
	cfg    *config.Config
	shared Shared
	rest   *rest.Config
	spans  *otlp.Remote
	log    io.Writer

	// reach reaches the Gateways directly (a Network's); nil: through port-forwards.
	reach Reach

	mu       sync.Mutex
	forwards map[string]*forward // by variant; "" is the main Gateway
	direct   map[string]string   // the URLs reach gave, by variant
}

// connect reaches the main Gateway (a port-forward to its proxy, or the Source's Reach) and
// checks the span query server.
func connect(ctx context.Context, cfg *config.Config, sh Shared, reach Reach, log io.Writer) (*Environment, error) {
	rc, err := restConfig(sh.Kubeconfig, sh.Context)
	if err != nil {
		return nil, err
	}
	e := &Environment{cfg: cfg, shared: sh, rest: rc, spans: otlp.NewRemote(sh.QueryURL), log: log, reach: reach,
		forwards: map[string]*forward{}, direct: map[string]string{}}
	if err := e.spans.Check(ctx); err != nil {
		return nil, fmt.Errorf("the span query server of process 1 does not answer: %w", err)
	}
	if _, err := e.gatewayURL(ctx, ""); err != nil {
		return e, err
	}
	return e, nil
}

// GatewayURL implements environment.Environment.
func (e *Environment) GatewayURL() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.direct[""]; ok {
		return u
	}
	if f := e.forwards[""]; f != nil {
		return f.url()
	}
	return ""
}

// Dialer implements environment.Dialing: the Source's dialer when it reaches the Gateways
// itself, nil (this machine's network) otherwise.
func (e *Environment) Dialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	if e.reach == nil {
		return nil
	}
	return e.reach.DialContext
}

// Spans implements environment.Environment.
func (e *Environment) Spans() spans.Source { return e.spans }

// Variant implements environment.Environment: the Gateway the profile names for the variant,
// port-forwarded on first use.
func (e *Environment) Variant(ctx context.Context, name string) (string, error) {
	if _, ok := e.cfg.Implementation.Cluster.Variants[name]; !ok {
		return "", fmt.Errorf("%s: implementations.%s.cluster.variants has no %q; defined: %v",
			e.cfg.ImplementationFile(), e.cfg.Implementation.Name, name, slices.Sorted(maps.Keys(e.cfg.Implementation.Cluster.Variants)))
	}
	return e.gatewayURL(ctx, name)
}

// gatewayURL is the base URL of a variant's Gateway ("" is the main one): the Source's
// direct address, or a port-forward started on first use.
func (e *Environment) gatewayURL(ctx context.Context, variant string) (string, error) {
	if e.reach == nil {
		f, err := e.gateway(ctx, variant)
		if err != nil {
			return "", err
		}
		return f.url(), nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, ok := e.direct[variant]; ok {
		return u, nil
	}
	u, err := e.reach.GatewayURL(ctx, e.gatewayName(variant))
	if err != nil {
		return "", fmt.Errorf("reaching Gateway %s/%s: %w", e.shared.Namespace, e.gatewayName(variant), err)
	}
	e.direct[variant] = u
	return u, nil
}

// gatewayName is the Gateway serving a variant ("" is the main one).
func (e *Environment) gatewayName(variant string) string {
	if variant == "" {
		return e.cfg.Implementation.Cluster.Gateway
	}
	return e.cfg.Implementation.Cluster.Variants[variant]
}

// proxyTarget resolves the profile's proxy namespace and selector for a Gateway.
func proxyTarget(cfg *config.Config, namespace, gateway string) (ns, selector string, err error) {
	p := cfg.Implementation.Cluster.Proxy
	data := map[string]string{"Gateway": gateway, "Namespace": namespace}
	expand := func(field, text string) (string, error) {
		out, err := render.String(field, text, data)
		if err != nil {
			return "", fmt.Errorf("implementations.%s.cluster.proxy.%s: %w", cfg.Implementation.Name, field, err)
		}
		return out, nil
	}
	if ns, err = expand("namespace", p.Namespace); err != nil {
		return "", "", err
	}
	if ns == "" {
		ns = namespace
	}
	selector, err = expand("selector", p.Selector)
	return ns, selector, err
}

// gateway returns the forward to a Gateway's proxy, starting it once.
func (e *Environment) gateway(ctx context.Context, variant string) (*forward, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f, ok := e.forwards[variant]; ok {
		return f, nil
	}
	ns, selector, err := proxyTarget(e.cfg, e.shared.Namespace, e.gatewayName(variant))
	if err != nil {
		return nil, err
	}
	f, err := startForward(ctx, e.cfg, e.rest, ns, selector, e.cfg.Implementation.Cluster.Proxy.Port)
	if err != nil {
		return nil, fmt.Errorf("port-forwarding to the proxy of Gateway %s/%s: %w", e.shared.Namespace, e.gatewayName(variant), err)
	}
	e.forwards[variant] = f
	return f, nil
}

// Endpoints implements environment.Environment: the addresses and the commands that reach the
// failed state from a terminal.
func (e *Environment) Endpoints() map[string]string {
	sh := e.shared
	out := map[string]string{
		"spans":      sh.QueryURL + "/spans",
		"kubeconfig": sh.Kubeconfig,
		"namespace":  sh.Namespace,
		"kubectl":    kubectl(sh.Kubeconfig, sh.Context, "get", "gateway,httproute,pods,svc,endpointslices", "-n", sh.Namespace, "-o", "wide"),
		"status":     kubectl(sh.Kubeconfig, sh.Context, "get", "gateway,httproute", "-n", sh.Namespace, "-o", "yaml"),
		"events":     kubectl(sh.Kubeconfig, sh.Context, "get", "events", "-n", sh.Namespace, "--sort-by=.lastTimestamp"),
	}
	maps.Copy(out, sh.Endpoints)
	if e.reach != nil {
		maps.Copy(out, e.reach.Endpoints())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for variant, u := range e.direct {
		out[gatewayKey(variant)] = u
	}
	for variant, f := range e.forwards {
		key := gatewayKey(variant)
		out[key] = f.url()
		out["port-forward "+key] = kubectl(sh.Kubeconfig, sh.Context,
			"port-forward", "-n", f.namespace, "pod/"+f.pod, fmt.Sprintf("8080:%d", f.port))
		if a := e.cfg.Implementation.Cluster.Proxy.AdminPort; a > 0 && variant == "" {
			// port-forward runs until stopped: in the background, then curl.
			out["envoy admin"] = kubectl(sh.Kubeconfig, sh.Context, "port-forward", "-n", f.namespace, "pod/"+f.pod, fmt.Sprintf("19000:%d", a)) +
				" & sleep 2; curl localhost:19000/config_dump; kill %1"
		}
	}
	return out
}

// Stop implements environment.Environment: it closes this process's port-forwards. The cluster,
// namespace and receiver belong to process 1's Teardown.
func (e *Environment) Stop(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for k, f := range e.forwards {
		errs = append(errs, f.close())
		delete(e.forwards, k)
	}
	if e.reach != nil {
		errs = append(errs, e.reach.Close())
	}
	return errors.Join(errs...)
}

// gatewayKey is the Endpoints key of a variant's Gateway ("" is the main one).
func gatewayKey(variant string) string {
	if variant == "" {
		return "gateway"
	}
	return "gateway " + variant
}
