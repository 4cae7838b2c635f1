package local

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/process"
	"github.com/tracegate/tracegate/framework/wait"
)

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
	// take one in between (seen with many parallel runs). A gateway that exits saying so, or that
	// shares its port with another listener (ports.go), is started again on new ports; any other
	// failure is the gateway's.
	name := e.cfg.Implementation.Name + variantSuffix(variant)
	for attempt := 1; ; attempt++ {
		data, err := e.templateData(dir, variant)
		if err != nil {
			return nil, err
		}
		argv, environ, err := e.render(profile, data, profile.Variants[variant].Env)
		if err != nil {
			return nil, err
		}
		proc, err := process.Start(argv, e.cfg.Implementation.Dir, environ, filepath.Join(dir, "gateway.log"))
		if err != nil {
			return nil, err
		}
		gw := &gateway{proc: proc, data: data, argv: argv, env: environ, url: "http://" + data.GatewayAddr}
		fmt.Fprintf(e.log, "started %s (pid %d) on %s, upstream %s, receiver %s\n",
			name, proc.Pid(), data.GatewayAddr, e.upstream.Addr, data.OTLPEndpoint)
		err = e.awaitHTTP(ctx, name, "http://"+data.GatewayAddr+profile.ReadyPath, proc, readyToken(data))
		if why := portTrouble(err, proc, data.GatewayPort); why != "" {
			if attempt < maxPortAttempts {
				fmt.Fprintf(e.log, "%s %s; starting it again on new ports\n", name, why)
				_ = proc.Stop(e.cfg.MustWait(config.WaitGatewayStop).Timeout)
				continue
			}
			if err == nil {
				err = fmt.Errorf(
					"%s %s (port %d), at each of %d starts on new ports: requests would reach either",
					name,
					why,
					data.GatewayPort,
					attempt,
				)
			}
		}
		e.gateways[variant] = gw // stopped with the environment, started or not
		if err != nil {
			// The evidence stays where the error says, unless the run was cut short (an
			// interrupt, a setup timeout): then nothing failed that needs looking at.
			e.keepWorkDir = ctx.Err() == nil
			return gw, startError(err, argv, profile, data)
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

// startError is the error of a gateway that did not become ready: what it did (for one that
// exited, its exit status and output), its command, and its work directory and rendered config,
// which are kept after the environment stops (but not when the run was interrupted).
func startError(err error, argv []string, profile *config.LocalProfile, data TemplateData) error {
	where := "its work directory (kept): " + data.WorkDir
	if profile.ConfigTemplate != "" {
		where = "its rendered config (kept): " + data.ConfigFile
	}
	return fmt.Errorf("%w\n(command: %s; %s)", err, strings.Join(argv, " "), where)
}

func variantSuffix(variant string) string {
	if variant == "" {
		return ""
	}
	return " variant " + variant
}

func (e *Environment) templateData(dir, variant string) (TemplateData, error) {
	ports, err := e.ports.Free(2)
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
		Dir:                e.cfg.Implementation.Dir,
	}
	if cp := e.cfg.Implementation.Cluster; cp != nil {
		d.GatewayName, d.Namespace = cp.Gateway, config.MirrorNamespace
		if variant != "" {
			d.GatewayName = cp.Variants[variant]
		}
	}
	d.OTLPEndpoint = d.OTLPHTTPEndpoint
	if d.OTLPProtocol == "grpc" {
		d.OTLPEndpoint = "http://" + d.OTLPGRPCEndpoint
	}
	return d, nil
}

// awaitHTTP polls url until it answers below 500 (with token in its body, unless token is ""),
// the process exits, or gatewayReady ends.
func (e *Environment) awaitHTTP(ctx context.Context, what, url string, proc *process.Child, token string) error {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	last := "no answer yet"
	err := wait.For(ctx, e.cfg.MustWait(config.WaitGatewayReady), what+" to answer GET "+url, func(ctx context.Context) (bool, string, error) {
		select {
		case <-proc.Exited():
			return false, "", fmt.Errorf("%s exited before it was ready (%v); its output:\n%s", what, proc.ExitError(), proc.Tail())
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		res, err := client.Do(req)
		if err != nil && ctx.Err() != nil {
			return false, last, nil // cut short by the wait's end: what was seen before stands
		}
		if err != nil {
			last = err.Error()
			return false, last, nil
		}
		body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		res.Body.Close()
		if token != "" && !strings.Contains(string(body), token) {
			last = res.Status + " without this start's ready token: another process holds the port"
			return false, last, nil
		}
		last = res.Status
		return res.StatusCode < 500, last, nil
	})
	if wait.IsTimeout(err) {
		return fmt.Errorf("%w; its output:\n%s", err, proc.Tail())
	}
	return err
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

// portTrouble says why the gateway, ready (err nil) or not, cannot keep the ports it was
// given, or "": it exited because one was taken, or it shares its port with another listener.
func portTrouble(err error, proc *process.Child, port int) string {
	switch {
	case err != nil && lostItsPort(proc):
		return "lost a port chosen for it before it bound it"
	case err == nil && process.Listeners(port) > 1:
		return "shares its port with another process's listener (SO_REUSEPORT)"
	}
	return ""
}

// maxPortAttempts is how many times a gateway is started on new ports after losing one.
const maxPortAttempts = 3

// lostItsPort reports whether the gateway has exited because a port it was given was taken
// (Caddy: "bind: address already in use"; Envoy: "Address already in use").
func lostItsPort(p *process.Child) bool {
	select {
	case <-p.Exited():
		return strings.Contains(strings.ToLower(p.Tail()), "address already in use")
	default:
		return false
	}
}
