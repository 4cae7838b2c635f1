package config_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
)

func TestValidFile(t *testing.T) {
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	s, ms := time.Second, time.Millisecond
	tests := []struct {
		name     string
		env      config.Env
		check    func(t *testing.T, c *config.Config)
		envName  string
		impl     string
		waits    map[string]timing
		request  config.RequestPolicy
		debugged bool
	}{{
		name:    "defaults of the file",
		env:     env(),
		envName: "local", impl: "caddy",
		waits: map[string]timing{
			"gatewayReady": {60 * s, 100 * ms}, "gatewayStop": {10 * s, 100 * ms}, "span": {10 * s, 50 * ms},
			"absence": {2 * s, 100 * ms}, "requestConverged": {30 * s, 200 * ms},
			"lateSpan": {5 * s, 100 * ms}, "failureBundle": {60 * s, s},
			"clusterReady": {300 * s, 2 * s}, "installReady": {300 * s, 2 * s}, "gatewayProgrammed": {180 * s, s},
			"routeAccepted": {120 * s, s}, "portForward": {60 * s, 500 * ms}, "dockerReachable": {5 * s, 500 * ms},
			"controllerReady": {60 * s, 200 * ms}, "listenerReady": {60 * s, 100 * ms},
		},
		request: config.RequestPolicy{
			AttemptTimeout:       10 * s,
			Retries:              3,
			Backoff:              200 * ms,
			MaxBackoff:           2 * s,
			RetryStatuses:        []int{502, 503, 504},
			ConsecutiveSuccesses: 3,
		},
		check: func(t *testing.T, c *config.Config) {
			want := config.Environment{
				Name:           "local",
				Type:           "local",
				Implementation: "caddy",
				ExportDelay:    100 * ms,
				OTLPProtocol:   "http/protobuf",
				SamplingTraces: 460,
			}
			if c.Environment != want {
				t.Errorf("Environment = %+v, want %+v", c.Environment, want)
			}
			if c.File != filepath.Join(abs, "valid.yaml") || c.Dir != abs {
				t.Errorf("File, Dir = %s, %s; want %s/valid.yaml, %s", c.File, c.Dir, abs, abs)
			}
			l := c.Implementation.Local
			if l == nil {
				t.Fatal("no local profile")
			}
			if l.ConfigTemplate != filepath.Join(abs, "fixtures/local/caddy/Caddyfile.tmpl") || l.ConfigName != "Caddyfile" ||
				l.ReadyPath != "/tracegate/ready" || l.Env["TRACEGATE_ENV_ATTRIBUTE"] != "from-environment" ||
				l.Variants["sampling-zero"].Env["OTEL_TRACES_SAMPLER_ARG"] != "0" ||
				l.Command[3] != "{{.ConfigFile}}" || l.Build[0] != "go" {
				t.Errorf("local profile = %+v", *l)
			}
			if c.Debug != (config.Debug{
				Enabled:      false,
				PauseTimeout: 30 * time.Minute,
				ArtifactsDir: filepath.Join(config.RunDir(), "_artifacts"),
			}) {
				t.Errorf("Debug = %+v", c.Debug)
			}
			if c.Implementation.ServiceName != "tracegate-caddy" ||
				c.Implementation.ResourceAttributes["deployment.environment.name"] != "tracegate" {
				t.Errorf("Implementation = %+v", c.Implementation)
			}
			if c.Implementation.Version != "v2.11.9" || !c.Implementation.Supports("SpanName") || c.Implementation.Supports("Sampling") {
				t.Errorf("Implementation = %+v", c.Implementation)
			}
		},
	}, {
		name:    "E2E_ENV overlays waits and request field by field",
		env:     env("E2E_ENV", "kind"),
		envName: "kind", impl: "envoy",
		waits: map[string]timing{
			"gatewayReady": {60 * s, 100 * ms}, "gatewayStop": {10 * s, 100 * ms}, "span": {30 * s, 50 * ms},
			"absence": {2 * s, 100 * ms}, "requestConverged": {30 * s, 200 * ms},
			"lateSpan": {5 * s, 100 * ms}, "failureBundle": {60 * s, s},
			"clusterReady": {2 * time.Minute, s}, "installReady": {300 * s, 2 * s}, "gatewayProgrammed": {180 * s, s},
			"routeAccepted": {120 * s, s}, "portForward": {60 * s, 500 * ms}, "dockerReachable": {5 * s, 500 * ms},
			"controllerReady": {60 * s, 200 * ms}, "listenerReady": {60 * s, 100 * ms},
		},
		request: config.RequestPolicy{
			AttemptTimeout:       10 * s,
			Retries:              5,
			Backoff:              200 * ms,
			MaxBackoff:           2 * s,
			RetryStatuses:        []int{429, 503},
			ConsecutiveSuccesses: 3,
		},
		check: func(t *testing.T, c *config.Config) {
			want := config.Environment{
				Name:           "kind",
				Type:           "kind",
				Implementation: "envoy",
				ExportDelay:    100 * ms,
				OTLPProtocol:   "grpc",
				SamplingTraces: 460,
			}
			if c.Environment != want {
				t.Errorf("Environment = %+v, want %+v", c.Environment, want)
			}
			if c.Implementation.Local != nil || c.Implementation.Version != "1.36" {
				t.Errorf("Implementation = %+v", c.Implementation)
			}
			if _, err := c.Wait("clusterReady"); err != nil {
				t.Error(err)
			}
		},
	}, {
		name:    "E2E_TIMEOUT_SCALE scales timeouts, not polling, backoff or export delay",
		env:     env("E2E_TIMEOUT_SCALE", "2.5", "E2E_ENV", "kind"),
		envName: "kind", impl: "envoy",
		waits: map[string]timing{
			"gatewayReady": {150 * s, 100 * ms}, "gatewayStop": {25 * s, 100 * ms}, "span": {75 * s, 50 * ms},
			"absence": {5 * s, 100 * ms}, "requestConverged": {75 * s, 200 * ms},
			"lateSpan": {12500 * ms, 100 * ms}, "failureBundle": {150 * s, s},
			"clusterReady": {5 * time.Minute, s}, "installReady": {750 * s, 2 * s}, "gatewayProgrammed": {450 * s, s},
			"routeAccepted": {300 * s, s}, "portForward": {150 * s, 500 * ms}, "dockerReachable": {12500 * ms, 500 * ms},
			"controllerReady": {150 * s, 200 * ms}, "listenerReady": {150 * s, 100 * ms},
		},
		request: config.RequestPolicy{
			AttemptTimeout:       25 * s,
			Retries:              5,
			Backoff:              200 * ms,
			MaxBackoff:           2 * s,
			RetryStatuses:        []int{429, 503},
			ConsecutiveSuccesses: 3,
		},
		check: func(t *testing.T, c *config.Config) {
			if c.TimeoutScale != 2.5 || c.Environment.ExportDelay != 100*ms {
				t.Errorf("TimeoutScale = %v, ExportDelay = %v", c.TimeoutScale, c.Environment.ExportDelay)
			}
		},
	}, {
		name:    "E2E_IMPLEMENTATION and DEBUG",
		env:     env("E2E_ENV", "existing", "E2E_IMPLEMENTATION", "envoy", "DEBUG", "1"),
		envName: "existing", impl: "envoy", debugged: true,
		check: func(t *testing.T, c *config.Config) {
			if c.Implementation.Name != "envoy" || c.Implementation.Cluster == nil {
				t.Errorf("Implementation = %+v", c.Implementation)
			}
			if !strings.Contains(c.Summary(), "overrides: E2E_ENV=existing, E2E_IMPLEMENTATION=envoy, DEBUG=1") {
				t.Errorf("summary without the overrides:\n%s", c.Summary())
			}
		},
	}, {
		name: "DEBUG=true", env: env("DEBUG", "true"), envName: "local", impl: "caddy", debugged: true,
	}, {
		name: "DEBUG empty is unset", env: env("DEBUG", ""), envName: "local", impl: "caddy",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoadFile(t, "testdata/valid.yaml", tt.env)
			if c.Environment.Name != tt.envName || c.Implementation.Name != tt.impl || c.Environment.Implementation != tt.impl {
				t.Errorf(
					"environment %q, implementation %q/%q; want %q, %q",
					c.Environment.Name,
					c.Implementation.Name,
					c.Environment.Implementation,
					tt.envName,
					tt.impl,
				)
			}
			if c.Debug.Enabled != tt.debugged {
				t.Errorf("Debug.Enabled = %v, want %v", c.Debug.Enabled, tt.debugged)
			}
			if tt.waits != nil {
				got := map[string]timing{}
				for _, n := range c.WaitNames() {
					got[string(n)] = wait(t, c, string(n))
				}
				if !reflect.DeepEqual(got, tt.waits) {
					t.Errorf("waits = %v\nwant    %v", got, tt.waits)
				}
			}
			if tt.request.AttemptTimeout != 0 && !reflect.DeepEqual(c.Request, tt.request) {
				t.Errorf("Request = %+v\nwant      %+v", c.Request, tt.request)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestBuiltInDefaults(t *testing.T) {
	path := write(t, `
environments:
  local: {type: local, implementation: gw}
implementations:
  gw:
    local: {command: [gw]}
`)
	c := mustLoadFile(t, path, nil)
	s, ms := time.Second, time.Millisecond
	for name, want := range map[string]timing{
		"gatewayReady": {60 * s, 100 * ms}, "span": {10 * s, 50 * ms}, "absence": {2 * s, 100 * ms}, "requestConverged": {30 * s, 200 * ms},
	} {
		if got := wait(t, c, name); got != want {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
	wantReq := config.RequestPolicy{
		AttemptTimeout:       10 * s,
		Retries:              3,
		Backoff:              200 * ms,
		MaxBackoff:           2 * s,
		RetryStatuses:        []int{502, 503, 504},
		ConsecutiveSuccesses: 3,
	}
	if !reflect.DeepEqual(c.Request, wantReq) {
		t.Errorf("Request = %+v", c.Request)
	}
	if c.TimeoutScale != 1 ||
		c.Debug != (config.Debug{PauseTimeout: 30 * time.Minute, ArtifactsDir: filepath.Join(config.RunDir(), "_artifacts")}) {
		t.Errorf("TimeoutScale = %v, Debug = %+v", c.TimeoutScale, c.Debug)
	}
	if c.Environment.ExportDelay != 100*ms || c.Environment.OTLPProtocol != "http/protobuf" {
		t.Errorf("Environment = %+v", c.Environment)
	}
	if l := c.Implementation.Local; l.ConfigName != "gateway.conf" || l.ReadyPath != "/" || l.ConfigTemplate != "" || l.Build != nil {
		t.Errorf("Local = %+v", *l)
	}
}

func TestOverlays(t *testing.T) {
	path := write(t, `
timeoutScale: 2
waits:
  default:
    span: {timeout: 4s}        # polling stays the built-in 50ms
  ci:
    span: {polling: 1s}        # timeout comes from default: 4s
    absence: {timeout: 3s}
request:
  default: {retries: 1, retryStatuses: [429]}
  ci: {backoff: 1s, maxBackoff: 4s}
debug: {artifactsDir: /var/tmp/artifacts, enabled: true}
environment: ci
environments:
  ci: {type: local, implementation: gw, exportDelay: 0s, otlpProtocol: http/json}
implementations:
  gw: {version: "1.0", features: [], local: {command: [gw]}}
`)
	c := mustLoadFile(t, path, nil)
	for name, want := range map[string]timing{
		"span":    {8 * time.Second, time.Second},
		"absence": {6 * time.Second, 100 * time.Millisecond},
	} {
		if got := wait(t, c, name); got != want {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
	want := config.RequestPolicy{
		AttemptTimeout:       20 * time.Second,
		Retries:              1,
		Backoff:              time.Second,
		MaxBackoff:           4 * time.Second,
		RetryStatuses:        []int{429},
		ConsecutiveSuccesses: 3,
	}
	if !reflect.DeepEqual(c.Request, want) {
		t.Errorf("Request = %+v, want %+v", c.Request, want)
	}
	if !c.Debug.Enabled ||
		c.Debug.ArtifactsDir != "/var/tmp/artifacts" ||
		c.Environment.ExportDelay != 0 ||
		c.Implementation.Supports("SpanName") {
		t.Errorf("Debug = %+v, Environment = %+v", c.Debug, c.Environment)
	}
}

func TestUnknownWait(t *testing.T) {
	c := mustLoadFile(t, "testdata/valid.yaml", nil)
	_, err := c.Wait("spam")
	if err == nil || !strings.Contains(err.Error(), `wait "spam"`) ||
		!strings.Contains(err.Error(), "defined: absence, clusterReady, controllerReady, dockerReachable, failureBundle, gatewayProgrammed, "+
			"gatewayReady, gatewayStop, installReady, lateSpan, listenerReady, portForward, requestConverged, routeAccepted, span") {
		t.Fatalf("Wait(spam) error = %v", err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), `wait "spam"`) {
			t.Errorf("MustWait(spam) recovered %v", r)
		}
	}()
	c.MustWait("spam")
}
