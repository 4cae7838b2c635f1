// Package local runs the gateway under test as a child process on 127.0.0.1, with an echo
// upstream and the suite's OTLP receiver beside it: no cluster, no Docker.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/spans"
)

// Environment is a running local gateway, echo upstream and receiver.
type Environment struct {
	cfg      *config.Config
	receiver *otlp.Receiver
	upstream *echo.Server
	gateway  *process
	data     TemplateData
	workDir  string
	log      io.Writer
}

// Build runs the implementation's build command, if it has one, from the config file's
// directory. The suite calls it once, before any process starts a gateway.
func Build(ctx context.Context, cfg *config.Config, log io.Writer) error {
	profile := cfg.Implementation.Local
	if profile == nil || len(profile.Build) == 0 {
		return nil
	}
	fmt.Fprintf(log, "building %s: %s\n", cfg.Implementation.Name, strings.Join(profile.Build, " "))
	cmd := exec.CommandContext(ctx, profile.Build[0], profile.Build[1:]...)
	cmd.Dir = cfg.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("building %s with %q failed: %w\n%s", cfg.Implementation.Name, strings.Join(profile.Build, " "), err, out)
	}
	return nil
}

// Start brings up the receiver, the upstream and the gateway, and returns once the gateway
// answers on its ready path. On any error everything already started is stopped again.
func Start(ctx context.Context, cfg *config.Config, log io.Writer) (env *Environment, err error) {
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
	if e.upstream, err = echo.Start("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("starting the echo upstream: %w", err)
	}
	if e.data, err = e.templateData(); err != nil {
		return nil, err
	}
	argv, environ, err := e.render(profile)
	if err != nil {
		return nil, err
	}
	if e.gateway, err = startProcess(argv, cfg.Dir, environ, filepath.Join(e.workDir, "gateway.log")); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "started %s (pid %d) on %s, upstream %s, receiver %s\n",
		cfg.Implementation.Name, e.gateway.Pid(), e.GatewayURL(), e.upstream.Addr, e.data.OTLPEndpoint)
	return e, e.awaitReady(ctx, profile.ReadyPath)
}

func (e *Environment) templateData() (TemplateData, error) {
	ports, err := freePorts(2)
	if err != nil {
		return TemplateData{}, err
	}
	d := TemplateData{
		GatewayPort:       ports[0],
		GatewayAddr:       net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0])),
		AdminPort:         ports[1],
		UpstreamAddr:      e.upstream.Addr,
		OTLPHTTPEndpoint:  e.receiver.HTTPEndpoint(),
		OTLPGRPCEndpoint:  e.receiver.GRPCEndpoint(),
		OTLPProtocol:      e.cfg.Environment.OTLPProtocol,
		ExportDelayMillis: e.cfg.Environment.ExportDelay.Milliseconds(),
		ConfigFile:        filepath.Join(e.workDir, e.cfg.Implementation.Local.ConfigName),
		WorkDir:           e.workDir,
		Dir:               e.cfg.Dir,
	}
	d.OTLPEndpoint = d.OTLPHTTPEndpoint
	if d.OTLPProtocol == "grpc" {
		d.OTLPEndpoint = "http://" + d.OTLPGRPCEndpoint
	}
	return d, nil
}

func (e *Environment) awaitReady(ctx context.Context, path string) error {
	wait := e.cfg.MustWait("gatewayReady")
	ctx, cancel := context.WithTimeout(ctx, wait.Timeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var last string
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.GatewayURL()+path, nil)
		res, err := client.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode < 500 {
				return nil
			}
			last = res.Status
		} else {
			last = err.Error()
		}
		select {
		case <-e.gateway.Exited():
			return fmt.Errorf("gateway %s exited before it was ready (%v); its output:\n%s",
				e.cfg.Implementation.Name, e.gateway.ExitError(), e.gateway.Tail())
		default:
		}
		if waitCtx(ctx, wait.Polling) != nil {
			return fmt.Errorf("gateway %s did not answer GET %s within the gatewayReady wait (%s); last: %s; its output:\n%s",
				e.cfg.Implementation.Name, path, wait.Timeout, last, e.gateway.Tail())
		}
	}
}

// GatewayURL implements environment.Environment.
func (e *Environment) GatewayURL() string { return "http://" + e.data.GatewayAddr }

// Spans implements environment.Environment.
func (e *Environment) Spans() spans.Source { return e.receiver.Store() }

// Receiver is the in-process OTLP receiver.
func (e *Environment) Receiver() *otlp.Receiver { return e.receiver }

// Endpoints implements environment.Environment.
func (e *Environment) Endpoints() map[string]string {
	eps := map[string]string{
		"gateway":   e.GatewayURL(),
		"upstream":  "http://" + e.upstream.Addr,
		"otlp-http": e.receiver.HTTPEndpoint(),
		"otlp-grpc": e.receiver.GRPCEndpoint(),
		"workdir":   e.workDir,
	}
	if e.gateway != nil {
		eps["gateway-pid"] = strconv.Itoa(e.gateway.Pid())
		eps["gateway-config"] = e.data.ConfigFile
	}
	return eps
}

// CollectArtifacts copies the gateway's log and rendered config into dir.
func (e *Environment) CollectArtifacts(dir string) error {
	var errs []error
	for name, src := range map[string]string{"gateway.log": filepath.Join(e.workDir, "gateway.log"), "gateway-config": e.data.ConfigFile} {
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Stop implements environment.Environment. The gateway goes first so that it flushes its last
// spans into a receiver that is still listening.
func (e *Environment) Stop(ctx context.Context) error {
	var errs []error
	if e.gateway != nil {
		errs = append(errs, e.gateway.Stop(e.cfg.MustWait("gatewayStop").Timeout))
	}
	if e.upstream != nil {
		errs = append(errs, e.upstream.Close())
	}
	if e.receiver != nil {
		errs = append(errs, e.receiver.Shutdown(ctx))
	}
	if e.workDir != "" && !e.cfg.Debug.Enabled {
		errs = append(errs, os.RemoveAll(e.workDir))
	}
	return errors.Join(errs...)
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
