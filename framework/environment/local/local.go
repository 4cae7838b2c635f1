// Package local runs the gateway under test as a child process on 127.0.0.1, with an echo
// upstream and the suite's OTLP receiver beside it: no cluster, no Docker.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
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
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/spans"
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
	collector          *process.Child
	collectorData      CollectorTemplateData
	droppedOnce        sync.Once     // the log line naming the OTEL_* variables not passed on
	ports              process.Ports // the ports chosen for gateways and the collector, reserved
	// keepWorkDir is set when a gateway failed to start: its rendered config and output stay
	// where its error says they are, after Stop.
	keepWorkDir bool
	stopOnce    sync.Once // Stop runs once: Start stops what it started on error, the caller again
	stopErr     error
}

// gateway is one running gateway process and what its templates were rendered with.
type gateway struct {
	proc *process.Child
	data TemplateData
	argv []string // its command line and environment, for the failure bundle
	env  []string
	// url is where requests go: the gateway, or a fault proxy in front of it.
	url string
}

// Start brings up the receiver, the upstream and the gateway, and returns once the gateway
// answers on its ready path. On any error everything already started is stopped again; a
// gateway that failed to start keeps its work directory (its rendered config and output), and
// the environment returned with the error can still collect them (CollectArtifacts).
func Start(ctx context.Context, cfg *config.Config, log io.Writer, opts ...Option) (env *Environment, err error) {
	profile := cfg.Implementation.Local
	if profile == nil {
		return nil, fmt.Errorf("%s: implementation %q has no local profile, so it cannot run in environment %q",
			cfg.ImplementationFile(), cfg.Implementation.Name, cfg.Environment.Name)
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
			e.cfg.ImplementationFile(), e.cfg.Implementation.Name, name, slices.Sorted(maps.Keys(e.cfg.Implementation.Local.Variants)))
	}
	if why := e.cfg.VariantUnavailable(name); why != "" {
		return "", errors.New(why)
	}
	gw, err := e.startGateway(ctx, name)
	if err != nil {
		return "", err
	}
	return gw.url, nil
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
	check := func(what string, p *process.Child) {
		select {
		case <-p.Exited():
			out = append(
				out,
				fmt.Sprintf("%s (pid %d) exited: %v; its last output:\n%s", what, p.Pid(), p.ExitError(), text.Truncate(p.Tail(), 2000)),
			)
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
		files := map[string]string{prefix + ".log": filepath.Join(gw.data.WorkDir, "gateway.log")}
		if e.cfg.Implementation.Local.ConfigTemplate != "" {
			files[prefix+"-config"] = gw.data.ConfigFile
		}
		errs = append(errs, copyFiles(dir, files))
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
// spans into a receiver that is still listening. Only the first call stops anything; later ones
// return its result.
func (e *Environment) Stop(ctx context.Context) error {
	e.stopOnce.Do(func() { e.stopErr = e.stop(ctx) })
	return e.stopErr
}

func (e *Environment) stop(ctx context.Context) error {
	var errs []error
	e.mu.Lock()
	for _, gw := range e.gateways {
		errs = append(errs, gw.proc.Stop(e.cfg.MustWait(config.WaitGatewayStop).Timeout))
	}
	e.mu.Unlock()
	if e.collector != nil {
		errs = append(errs, e.collector.Stop(e.cfg.MustWait(config.WaitGatewayStop).Timeout))
	}
	e.ports.Release()
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
	e.mu.Lock()
	keep := e.keepWorkDir
	e.mu.Unlock()
	switch {
	case e.workDir == "":
	case keep:
		fmt.Fprintf(e.log, "kept the work directory %s: a gateway in it failed to start\n", e.workDir)
	case !e.cfg.Debug.Enabled:
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
