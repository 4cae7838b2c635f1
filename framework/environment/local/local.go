// Package local runs the gateway under test as a child process on 127.0.0.1, with an echo
// upstream and the suite's OTLP receiver beside it: no cluster, no Docker.
package local

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/faultproxy"
	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/framework/wait"
	"github.com/tracegate/tracegate/internal/text"
)

// Environment is a running local gateway, echo upstream and receiver.
type Environment struct {
	cfg      *config.Config
	receiver *otlp.Receiver
	upstream *echo.Server
	refused  *echo.Refusing // the address of an upstream that refuses every connection
	workDir  string
	log      io.Writer

	mu       sync.Mutex
	gateways map[string]*gateway // by variant name; "" is the default gateway
	// proxies inject the environment's faults, by path: "export/http", "client/<variant>", ...
	proxies map[string]*faultproxy.Proxy
	// otlpHTTP and otlpGRPC are where gateways export: the receiver, a fault proxy before it,
	// or (otlpHTTP) the environment's collector.
	otlpHTTP, otlpGRPC string
	collector          *process
	collectorData      CollectorTemplateData
	droppedOnce        sync.Once // the log line naming the OTEL_* variables not passed on
}

// gateway is one running gateway process and what its templates were rendered with.
type gateway struct {
	proc *process
	data TemplateData
	argv []string // its command line and environment, for the failure bundle
	env  []string
	// url is where requests go: the gateway, or a fault proxy in front of it.
	url string
}

// Start brings up the receiver, the upstream and the gateway, and returns once the gateway
// answers on its ready path. On any error everything already started is stopped again.
func Start(ctx context.Context, cfg *config.Config, log io.Writer, opts ...Option) (env *Environment, err error) {
	profile := cfg.Implementation.Local
	if profile == nil {
		return nil, fmt.Errorf("%s: implementation %q has no local profile, so it cannot run in environment %q",
			cfg.File, cfg.Implementation.Name, cfg.Environment.Name)
	}
	e := &Environment{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			_ = e.Stop(context.WithoutCancel(ctx))
		}
	}()
	if e.workDir, err = os.MkdirTemp("", "tracegate-local-"); err != nil {
		return nil, err
	}
	if e.receiver, err = otlp.Start(); err != nil {
		return nil, fmt.Errorf("starting the OTLP receiver: %w", err)
	}
	e.proxies = map[string]*faultproxy.Proxy{}
	var export *config.FaultPath
	if f := cfg.Environment.Faults; f != nil {
		export = f.Export
	}
	if e.otlpHTTP, err = e.proxyIfFaulty("export/http", export, e.receiver.HTTPAddr().String()); err != nil {
		return nil, err
	}
	if e.otlpGRPC, err = e.proxyIfFaulty("export/grpc", export, e.receiver.GRPCAddr().String()); err != nil {
		return nil, err
	}
	for _, opt := range opts {
		opt(e)
	}
	if e.upstream, err = echo.Start("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("starting the echo upstream: %w", err)
	}
	if e.refused, err = echo.Refuse("127.0.0.1"); err != nil {
		return nil, err
	}
	if err = e.startCollector(ctx); err != nil {
		return nil, err
	}
	e.gateways = map[string]*gateway{}
	_, err = e.startGateway(ctx, "")
	return e, err
}

// Variant returns the URL of a differently configured gateway process (implementations.<name>.
// local.variants), starting it on first use. It shares the receiver and upstream.
func (e *Environment) Variant(ctx context.Context, name string) (string, error) {
	if _, ok := e.cfg.Implementation.Local.Variants[name]; !ok {
		return "", fmt.Errorf("%s: implementations.%s.local.variants has no %q; defined: %v",
			e.cfg.File, e.cfg.Implementation.Name, name, slices.Sorted(maps.Keys(e.cfg.Implementation.Local.Variants)))
	}
	gw, err := e.startGateway(ctx, name)
	if err != nil {
		return "", err
	}
	return gw.url, nil
}

// startGateway starts the default gateway ("") or a variant, once.
func (e *Environment) startGateway(ctx context.Context, variant string) (*gateway, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if gw, ok := e.gateways[variant]; ok {
		return gw, nil
	}
	profile := e.cfg.Implementation.Local
	dir := filepath.Join(e.workDir, "gateway")
	if variant != "" {
		dir = filepath.Join(e.workDir, "variant-"+variant)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// The ports are free when chosen and taken when the gateway binds them: another process can
	// take one in between (seen with many parallel runs). A gateway that exits saying so is
	// started again on new ports; any other failure is the gateway's.
	for attempt := 1; ; attempt++ {
		data, err := e.templateData(dir, variant)
		if err != nil {
			return nil, err
		}
		argv, environ, err := e.render(profile, data, profile.Variants[variant].Env)
		if err != nil {
			return nil, err
		}
		proc, err := startProcess(argv, e.cfg.Dir, environ, filepath.Join(dir, "gateway.log"))
		if err != nil {
			return nil, err
		}
		gw := &gateway{proc: proc, data: data, argv: argv, env: environ, url: "http://" + data.GatewayAddr}
		fmt.Fprintf(e.log, "started %s%s (pid %d) on %s, upstream %s, receiver %s\n",
			e.cfg.Implementation.Name, variantSuffix(variant), proc.Pid(), data.GatewayAddr, e.upstream.Addr, data.OTLPEndpoint)
		err = e.awaitHTTP(ctx, e.cfg.Implementation.Name+variantSuffix(variant), "http://"+data.GatewayAddr+profile.ReadyPath, proc, readyToken(data))
		if err != nil && attempt < maxPortAttempts && lostItsPort(proc) {
			fmt.Fprintf(e.log, "%s%s lost a port chosen for it before it bound it; starting it again on new ports\n", e.cfg.Implementation.Name, variantSuffix(variant))
			continue
		}
		e.gateways[variant] = gw // stopped with the environment, started or not
		if err != nil {
			return gw, fmt.Errorf("%w\n(its rendered config: %s; command: %s)", err, data.ConfigFile, strings.Join(argv, " "))
		}
		if f := e.cfg.Environment.Faults; f != nil && f.Client != nil {
			name := variant
			if name == "" {
				name = "default"
			}
			addr, err := e.proxyIfFaulty("client/"+name, f.Client, data.GatewayAddr)
			if err != nil {
				return nil, err
			}
			gw.url = "http://" + addr
		}
		return gw, nil
	}
}

func variantSuffix(variant string) string {
	if variant == "" {
		return ""
	}
	return " variant " + variant
}

func (e *Environment) templateData(dir, variant string) (TemplateData, error) {
	ports, err := freePorts(2)
	if err != nil {
		return TemplateData{}, err
	}
	d := TemplateData{
		GatewayPort:        ports[0],
		GatewayAddr:        net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0])),
		AdminPort:          ports[1],
		UpstreamAddr:       e.upstream.Addr,
		UpstreamPort:       port(e.upstream.Addr),
		RefusedAddr:        e.refused.Addr,
		RefusedPort:        port(e.refused.Addr),
		OTLPHTTPEndpoint:   "http://" + e.otlpHTTP,
		OTLPHTTPPort:       port(e.otlpHTTP),
		OTLPGRPCEndpoint:   e.otlpGRPC,
		OTLPGRPCPort:       port(e.otlpGRPC),
		OTLPProtocol:       e.cfg.Environment.OTLPProtocol,
		ExportDelayMillis:  e.cfg.Environment.ExportDelay.Milliseconds(),
		Implementation:     e.cfg.Implementation.Name,
		ServiceName:        e.cfg.Implementation.ServiceName,
		ResourceAttributes: e.cfg.Implementation.ResourceAttributes,
		Variant:            variant,
		ReadyToken:         rand.Text(),
		ConfigFile:         filepath.Join(dir, e.cfg.Implementation.Local.ConfigName),
		WorkDir:            dir,
		Dir:                e.cfg.Dir,
	}
	d.OTLPEndpoint = d.OTLPHTTPEndpoint
	if d.OTLPProtocol == "grpc" {
		d.OTLPEndpoint = "http://" + d.OTLPGRPCEndpoint
	}
	return d, nil
}

// awaitHTTP polls url until it answers below 500 (with token in its body, unless token is ""),
// the process exits, or gatewayReady ends.
func (e *Environment) awaitHTTP(ctx context.Context, what, url string, proc *process, token string) error {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	err := wait.For(ctx, e.cfg.MustWait(config.WaitGatewayReady), what+" to answer GET "+url, func(ctx context.Context) (bool, string, error) {
		select {
		case <-proc.Exited():
			return false, "", fmt.Errorf("%s exited before it was ready (%v); its output:\n%s", what, proc.ExitError(), proc.Tail())
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		res, err := client.Do(req)
		if err != nil {
			return false, err.Error(), nil
		}
		body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		res.Body.Close()
		if token != "" && !strings.Contains(string(body), token) {
			return false, res.Status + " without this start's ready token: another process holds the port", nil
		}
		return res.StatusCode < 500, res.Status, nil
	})
	if wait.IsTimeout(err) {
		return fmt.Errorf("%w; its output:\n%s", err, proc.Tail())
	}
	return err
}

// GatewayURL implements environment.Environment.
func (e *Environment) GatewayURL() string { return e.gateways[""].url }

// Spans implements environment.Environment.
func (e *Environment) Spans() spans.Source { return e.receiver.Store() }

// Exited implements environment.Diagnosable: every gateway or collector process that has
// ended, with how and its last output.
func (e *Environment) Exited() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	check := func(what string, p *process) {
		select {
		case <-p.Exited():
			out = append(out, fmt.Sprintf("%s (pid %d) exited: %v; its last output:\n%s", what, p.Pid(), p.ExitError(), text.Truncate(p.Tail(), 2000)))
		default:
		}
	}
	for _, variant := range slices.Sorted(maps.Keys(e.gateways)) {
		check(e.cfg.Implementation.Name+variantSuffix(variant), e.gateways[variant].proc)
	}
	if e.collector != nil {
		check("the collector", e.collector)
	}
	return out
}

// ReceiverStats implements environment.Diagnosable.
func (e *Environment) ReceiverStats() string { return e.receiver.Stats().String() }

// Receiver is the in-process OTLP receiver.
func (e *Environment) Receiver() *otlp.Receiver { return e.receiver }

// Endpoints implements environment.Environment.
func (e *Environment) Endpoints() map[string]string {
	eps := map[string]string{
		"upstream":  "http://" + e.upstream.Addr,
		"otlp-http": e.receiver.HTTPEndpoint(),
		"otlp-grpc": e.receiver.GRPCEndpoint(),
		"workdir":   e.workDir,
	}
	if e.collector != nil {
		eps["collector"] = e.collectorData.ListenAddr
		eps["collector pid"] = strconv.Itoa(e.collector.Pid())
		eps["collector config"] = e.collectorData.ConfigFile
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for variant, gw := range e.gateways {
		name := "gateway" + strings.ReplaceAll(variantSuffix(variant), " variant ", "/")
		eps[name] = gw.url
		eps[name+" pid"] = strconv.Itoa(gw.proc.Pid())
		eps[name+" config"] = gw.data.ConfigFile
		eps[name+" command"] = strings.Join(gw.argv, " ")
		eps[name+" env"] = strings.Join(gw.env, " ")
	}
	return eps
}

// CollectArtifacts copies every gateway's log and rendered config into dir.
func (e *Environment) CollectArtifacts(dir string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	if e.collector != nil {
		errs = append(errs, copyFiles(dir, map[string]string{
			"collector.log": filepath.Join(e.collectorData.WorkDir, "collector.log"), "collector-config": e.collectorData.ConfigFile}))
	}
	for variant, gw := range e.gateways {
		prefix := "gateway"
		if variant != "" {
			prefix = "gateway-" + variant
		}
		errs = append(errs, copyFiles(dir, map[string]string{
			prefix + ".log": filepath.Join(gw.data.WorkDir, "gateway.log"), prefix + "-config": gw.data.ConfigFile}))
	}
	return errors.Join(errs...)
}

// copyFiles copies each source file into dir under its new name.
func copyFiles(dir string, files map[string]string) error {
	var errs []error
	for name, src := range files {
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Stop implements environment.Environment. The gateways go first so that they flush their last
// spans into a receiver that is still listening.
func (e *Environment) Stop(ctx context.Context) error {
	var errs []error
	e.mu.Lock()
	for _, gw := range e.gateways {
		errs = append(errs, gw.proc.Stop(e.cfg.MustWait(config.WaitGatewayStop).Timeout))
	}
	e.mu.Unlock()
	if e.collector != nil {
		errs = append(errs, e.collector.Stop(e.cfg.MustWait(config.WaitGatewayStop).Timeout))
	}
	errs = append(errs, e.closeProxies())
	if e.upstream != nil {
		errs = append(errs, e.upstream.Close())
	}
	if e.refused != nil {
		errs = append(errs, e.refused.Close())
	}
	if e.receiver != nil {
		errs = append(errs, e.receiver.Shutdown(ctx))
	}
	if e.workDir != "" && !e.cfg.Debug.Enabled {
		errs = append(errs, os.RemoveAll(e.workDir))
	}
	return errors.Join(errs...)
}

// port is the port of a host:port address the suite itself listens on.
func port(addr string) int {
	_, p, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(p)
	return n
}

// readyToken is the token the gateway's ready path must answer with: its start's ReadyToken if
// its rendered config holds it (the fixtures' ready routes answer "ready {{.ReadyToken}}"), so
// that another process holding the port cannot pass for the gateway; else none.
func readyToken(d TemplateData) string {
	config, err := os.ReadFile(d.ConfigFile)
	if err != nil || !strings.Contains(string(config), d.ReadyToken) {
		return ""
	}
	return d.ReadyToken
}

// maxPortAttempts is how many times a gateway is started on new ports after losing one.
const maxPortAttempts = 3

// lostItsPort reports whether the gateway has exited because a port it was given was taken
// (Caddy: "bind: address already in use"; Envoy: "Address already in use").
func lostItsPort(p *process) bool {
	select {
	case <-p.Exited():
		return strings.Contains(strings.ToLower(p.Tail()), "address already in use")
	default:
		return false
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
