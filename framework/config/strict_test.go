package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// tail makes a file valid: cases put what they test above it, so their line numbers are the
// ones in the case text.
const tail = `
environments:
  local: {type: local, implementation: caddy}
  kind: {type: local, implementation: caddy} # a cluster environment needs a cluster profile: cluster_test.go
implementations:
  caddy:
    features: [SpanName]
    local: {command: [bin/caddy], configTemplate: gateway.tmpl}
`

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string // tail is appended unless noTail
		noTail bool
		env    config.Env
		want   []string // substrings of the error; "FILE" is the path passed to LoadFile
	}{{
		name: "unknown field",
		yaml: "waits:\n  default:\n    span: {timout: 5s}\n",
		want: []string{"FILE:3: waits.default.span.timout: unknown field; allowed: timeout, polling"},
	}, {
		name: "unknown top-level field",
		yaml: "environment: local\nwait: {}\n",
		want: []string{"FILE:2: wait: unknown field; allowed: environment, timeoutScale, reportDir, waits, request, debug, absence, " +
			"environments, implementations"},
	}, {
		name: "retry status not allowed",
		yaml: "request:\n  default:\n    retryStatuses:\n      - 502\n      - 500\n",
		want: []string{"FILE:5: request.default.retryStatuses[1]: 500 is not allowed; allowed: 429, 502, 503, 504"},
	}, {
		name: "retry status not allowed in an overlay",
		yaml: "request:\n  kind: {retryStatuses: [404]}\n",
		want: []string{"FILE:2: request.kind.retryStatuses[0]: 404 is not allowed; allowed: 429, 502, 503, 504"},
	}, {
		name: "otlp protocol not allowed",
		yaml: "environments:\n  local:\n    type: local\n    implementation: caddy\n    otlpProtocol: http\n" +
			"implementations:\n  caddy: {local: {command: [caddy]}}\n",
		noTail: true,
		want:   []string{`FILE:5: environments.local.otlpProtocol: "http" is not allowed; allowed: grpc, http/protobuf, http/json`},
	}, {
		name: "sampling traces out of range",
		yaml: "environments:\n  local:\n    type: local\n    implementation: caddy\n    samplingTraces: 0\n" +
			"implementations:\n  caddy: {local: {command: [caddy]}}\n",
		noTail: true,
		want: []string{`FILE:5: environments.local.samplingTraces: 0 is not allowed; must be 1 to 30000 (460, the default, ` +
			`let a 1% leak through in 1% of runs)`},
	}, {
		name: "bad duration",
		yaml: "waits:\n  default:\n    span:\n      polling: 5x\n",
		want: []string{`FILE:4: waits.default.span.polling: "5x" is not a duration; use a Go duration such as 500ms, 5s or 2m`},
	}, {
		name: "duration without a unit",
		yaml: "debug: {pauseTimeout: 30}\n",
		want: []string{`FILE:1: debug.pauseTimeout: "30" is not a duration; use a Go duration such as 500ms, 5s or 2m`},
	}, {
		name: "negative duration",
		yaml: "request: {default: {backoff: -1s}}\n",
		want: []string{`FILE:1: request.default.backoff: "-1s" is negative; use a Go duration`},
	}, {
		name: "empty duration",
		yaml: "waits:\n  default:\n    span: {timeout: }\n",
		want: []string{`FILE:3: waits.default.span.timeout: has no value; use a Go duration`},
	}, {
		name: "unknown E2E_ENV",
		env:  env("E2E_ENV", "kindd"),
		want: []string{`E2E_ENV: "kindd" is not an environment in /`, `ginkgo.yaml; allowed: kind, local`},
	}, {
		name: "bad E2E_TIMEOUT_SCALE",
		env:  env("E2E_TIMEOUT_SCALE", "abc"),
		want: []string{`E2E_TIMEOUT_SCALE: "abc" is not a number > 0`},
	}, {
		name: "zero E2E_TIMEOUT_SCALE",
		env:  env("E2E_TIMEOUT_SCALE", "0"),
		want: []string{`E2E_TIMEOUT_SCALE: "0" is not a number > 0`},
	}, {
		name: "unknown E2E_IMPLEMENTATION",
		env:  env("E2E_IMPLEMENTATION", "nginx"),
		want: []string{`E2E_IMPLEMENTATION: "nginx" is not an implementation in /`, "allowed: caddy"},
	}, {
		name: "E2E_IMPLEMENTATION without the local profile a local environment needs",
		yaml: "environments: {local: {type: local, implementation: caddy}}\n" +
			"implementations: {caddy: {local: {command: [caddy]}}, remote: {version: v1}}\n",
		noTail: true,
		env:    env("E2E_IMPLEMENTATION", "remote"),
		want:   []string{`E2E_IMPLEMENTATION: implementation "remote" has no local profile`},
	}, {
		name: "bad DEBUG",
		env:  env("DEBUG", "yes please"),
		want: []string{`DEBUG: "yes please" is not allowed; allowed: 1, true, 0, false`},
	}, {
		name: "timeoutScale not positive",
		yaml: "timeoutScale: 0\n",
		want: []string{"FILE:1: timeoutScale: 0 is not a number > 0"},
	}, {
		name: "timeoutScale not a number",
		yaml: "timeoutScale: fast\n",
		want: []string{`FILE:1: timeoutScale: "fast" is not a number`},
	}, {
		name: "unknown default environment",
		yaml: "environment: staging\n",
		want: []string{`FILE:1: environment: "staging" is not an environment; allowed: kind, local`},
	}, {
		name: "waits key that is not an environment",
		yaml: "waits:\n  kindd:\n    span: {timeout: 1s}\n",
		want: []string{`FILE:2: waits.kindd: "kindd" is not an environment; allowed: default, kind, local`},
	}, {
		name: "request key that is not an environment",
		yaml: "request:\n  locl: {retries: 1}\n",
		want: []string{`FILE:2: request.locl: "locl" is not an environment; allowed: default, kind, local`},
	}, {
		name: "duplicate key",
		yaml: "waits:\n  default:\n    span: {timeout: 1s}\n    span: {timeout: 2s}\n",
		want: []string{"FILE:4: waits.default.span: duplicate key; first given at line 3"},
	}, {
		name: "duplicate top-level key",
		yaml: "timeoutScale: 1\ntimeoutScale: 2\n",
		want: []string{"FILE:2: timeoutScale: duplicate key; first given at line 1"},
	}, {
		name: "polling longer than timeout",
		yaml: "waits:\n  default:\n    span: {timeout: 1s, polling: 2s}\n",
		want: []string{"FILE:3: waits.default.span.polling: polling 2s is longer than timeout 1s; polling must be > 0 and <= timeout"},
	}, {
		name: "overlay makes polling longer than the inherited timeout",
		yaml: "waits:\n  kind:\n    span:\n      polling: 1m\n",
		want: []string{"FILE:4: waits.kind.span.polling: polling 1m is longer than timeout 10s"},
	}, {
		name: "zero timeout and polling",
		yaml: "waits:\n  default:\n    span: {timeout: 0s, polling: 0s}\n",
		want: []string{"FILE:3: waits.default.span.timeout: must be > 0", "FILE:3: waits.default.span.polling: must be > 0"},
	}, {
		name: "misspelt wait name",
		yaml: "waits:\n  default:\n    spna: {timeout: 1s, polling: 10ms}\n",
		want: []string{`FILE:3: waits.default.spna: "spna" is not a wait the suite uses; allowed: absence, clusterReady, controllerReady, ` +
			`dockerReachable, failureBundle, gatewayProgrammed, gatewayReady, gatewayStop, installReady, lateSpan, listenerReady, ` +
			`portForward, requestConverged, routeAccepted, span`},
	}, {
		name: "unknown wait name in an environment's waits",
		yaml: "waits:\n  kind:\n    span: {timeout: 1m}\n    routeAttached: {timeout: 1m}\n",
		want: []string{`FILE:4: waits.kind.routeAttached: "routeAttached" is not a wait the suite uses; allowed: absence,`},
	}, {
		name: "unknown feature",
		yaml: "implementations:\n  caddy:\n    features: [SpanName, Spanname]\n    local: {command: [caddy]}\n" +
			"environments: {local: {type: local, implementation: caddy}}\n",
		noTail: true,
		want: []string{`FILE:3: implementations.caddy.features[1]: "Spanname" is not allowed; allowed: SpanName, Propagation, ErrorStatus, ` +
			`RequestAttributes, UpstreamSpan, CustomAttributes, ResourceAttributes, Sampling`},
	}, {
		name:   "unknown implementation",
		yaml:   "environments:\n  local: {type: local, implementation: nginx}\nimplementations: {caddy: {local: {command: [caddy]}}}\n",
		noTail: true,
		want:   []string{`FILE:2: environments.local.implementation: "nginx" is not an implementation; allowed: caddy`},
	}, {
		name:   "missing type and implementation",
		yaml:   "environments:\n  local:\n    exportDelay: 1s\nimplementations: {caddy: {local: {command: [caddy]}}}\n",
		noTail: true,
		want: []string{
			"FILE:2: environments.local.type: required; allowed: existing, kind, kwok, local",
			"FILE:2: environments.local.implementation: required; allowed: caddy",
		},
	}, {
		name:   "unknown environment type",
		yaml:   "environments:\n  local: {type: docker, implementation: caddy}\nimplementations: {caddy: {}}\n",
		noTail: true,
		want:   []string{`FILE:2: environments.local.type: "docker" is not allowed; allowed: existing, kind, kwok, local`},
	}, {
		name:   "local environment with an implementation without local profile",
		yaml:   "environments:\n  local: {type: local, implementation: remote}\nimplementations:\n  remote: {version: v1}\n",
		noTail: true,
		want: []string{
			`FILE:2: environments.local.implementation: implementation "remote" has no local profile (implementations.remote.local)`,
		},
	}, {
		name:   "local profile without command",
		yaml:   "environments:\n  local: {type: local, implementation: caddy}\nimplementations:\n  caddy:\n    local:\n      readyPath: /ready\n",
		noTail: true,
		want:   []string{"FILE:5: implementations.caddy.local.command: required: a non-empty list"},
	}, {
		name: "local profile with missing template, bad name, ready path and template syntax",
		yaml: "environments:\n  local: {type: local, implementation: caddy}\nimplementations:\n  caddy:\n    local:\n" +
			"      command: [caddy, '{{.ConfigFile']\n      configTemplate: nope.tmpl\n      configName: conf/gw.conf\n      readyPath: ready\n",
		noTail: true,
		want: []string{
			"FILE:6: implementations.caddy.local.command[1]: not a valid Go template",
			"FILE:7: implementations.caddy.local.configTemplate: /",
			"nope.tmpl does not exist",
			`FILE:8: implementations.caddy.local.configName: "conf/gw.conf" is not allowed; use a file name without a directory`,
			`FILE:9: implementations.caddy.local.readyPath: "ready" is not allowed; use an HTTP path starting with /`,
		},
	}, {
		name: "bad variant name, variant env and resource attribute",
		yaml: "environments:\n  local: {type: local, implementation: caddy}\nimplementations:\n  caddy:\n" +
			"    resourceAttributes: {\"a,b\": x}\n    local:\n      command: [caddy]\n      variants:\n" +
			"        \"../up\": {}\n        ok:\n          env: {\"A=B\": x, C: \"{{\"}\n",
		noTail: true,
		want: []string{
			`FILE:5: implementations.caddy.resourceAttributes.a,b: "a,b" is not allowed as an attribute key`,
			`FILE:9: implementations.caddy.local.variants."../up": "../up" is not allowed as a variant name`,
			`FILE:11: implementations.caddy.local.variants.ok.env.A=B: "A=B" is not an environment variable name`,
			`FILE:11: implementations.caddy.local.variants.ok.env.C: not a valid Go template`,
		},
	}, {
		name: "variant both unavailable and given an env",
		yaml: "environments:\n  local: {type: local, implementation: caddy}\nimplementations:\n  caddy:\n    local:\n      command: [caddy]\n" +
			"      variants:\n" +
			"        tracing-off: {unavailable: no switch, env: {A: b}}\n",
		noTail: true,
		want:   []string{`FILE:8: implementations.caddy.local.variants.tracing-off: has both unavailable and env`},
	}, {
		name:   "no environments",
		yaml:   "# nothing but a comment\n",
		noTail: true,
		want:   []string{`FILE: environments: no environment is defined; define at least "local"`},
	}, {
		name: "mapping where a list belongs",
		yaml: "request:\n  default:\n    retryStatuses: {a: 1}\n",
		want: []string{"FILE:3: request.default.retryStatuses: must be a list such as [a, b], not a mapping"},
	}, {
		name: "list where a mapping belongs",
		yaml: "debug: [enabled]\n",
		want: []string{"FILE:1: debug: must be a mapping with keys enabled, pauseTimeout, artifactsDir, not a list"},
	}, {
		name: "not an integer, not a boolean",
		yaml: "request: {default: {retries: three}}\ndebug: {enabled: maybe}\n",
		want: []string{`FILE:1: request.default.retries: "three" is not an integer`, `FILE:2: debug.enabled: "maybe" is not true or false`},
	}, {
		name: "zero backoff",
		yaml: "request:\n  default:\n    backoff: 0s\n",
		want: []string{"FILE:3: request.default.backoff: must be > 0: the wait before the first retry"},
	}, {
		name: "request bounds",
		yaml: "request:\n  default:\n    retries: -1\n    consecutiveSuccesses: 0\n    backoff: 5s\n    attemptTimeout: 0s\n",
		want: []string{
			"FILE:3: request.default.retries: -1 is not allowed; must be >= 0",
			"FILE:4: request.default.consecutiveSuccesses: 0 is not allowed; must be >= 1",
			"FILE:5: request.default.backoff: maxBackoff 2s is shorter than backoff 5s",
			"FILE:6: request.default.attemptTimeout: must be > 0",
		},
	}, {
		name:   "syntax error",
		yaml:   "waits:\n  default: [\n",
		noTail: true,
		want:   []string{"FILE:", "invalid YAML"},
	}, {
		name: "two documents",
		yaml: "timeoutScale: 1\n---\ntimeoutScale: 2\n",
		want: []string{"FILE:2: a second YAML document"},
	}, {
		name: "a key that needs quoting",
		yaml: "waits:\n  default:\n    \"my.wait\": {timeout: 1s, polling: 2s}\n",
		want: []string{`FILE:3: waits.default."my.wait": "my.wait" is not a wait the suite uses; allowed: absence,`},
	}, {
		name:   "environment named default",
		yaml:   "environments:\n  default: {type: kind, implementation: caddy}\nimplementations: {caddy: {}}\n",
		noTail: true,
		want:   []string{`FILE:2: environments.default: "default" is not allowed as an environment name`},
	}, {
		name: "merge key",
		yaml: "waits:\n  default:\n    base: &b {timeout: 1s, polling: 10ms}\n    span:\n      <<: *b\n",
		want: []string{"FILE:5: waits.default.span: merge keys (<<) are not supported"},
	}, {
		name: "recursive alias",
		yaml: "waits: &a\n  default: *a\n",
		want: []string{"FILE:2: waits.default.default: alias *a refers to the value that contains it"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.yaml
			if !tt.noTail {
				text += tail
			}
			path := write(t, text)
			c, err := config.LoadFile(path, tt.env, config.TestFeatures)
			if err == nil {
				t.Fatalf("no error; config:\n%s", c.Summary())
			}
			if c != nil {
				t.Errorf("a config came with the error")
			}
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "FILE", path); !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestAllErrorsTogether(t *testing.T) {
	path := write(t, `waits:
  default:
    span: {timout: 5s, polling: 5x}
request:
  default:
    retryStatuses: [502, 500]
environments:
  local: {type: local, implementation: caddy, otlpProtocol: http}
implementations:
  caddy:
    features: [Nope]
    local: {command: [caddy]}
`)
	_, err := config.LoadFile(path, env("E2E_TIMEOUT_SCALE", "abc"), config.TestFeatures)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		path + ":3: waits.default.span.timout: unknown field; allowed: timeout, polling",
		path + `:3: waits.default.span.polling: "5x" is not a duration; use a Go duration such as 500ms, 5s or 2m`,
		path + ":6: request.default.retryStatuses[1]: 500 is not allowed; allowed: 429, 502, 503, 504",
		path + `:8: environments.local.otlpProtocol: "http" is not allowed; allowed: grpc, http/protobuf, http/json`,
		path + `:11: implementations.caddy.features[0]: "Nope" is not allowed; allowed: SpanName,`,
		`E2E_TIMEOUT_SCALE: "abc" is not a number > 0`,
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Errorf("got %d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d: want prefix %q; all errors:\n%v", i, w, err)
		}
	}
}

func TestTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("waits:\n  default:\n")
	for i := range 60 {
		fmt.Fprintf(&b, "    w%d: {timeout: %dx, polling: 1s}\n", i, i)
	}
	path := write(t, b.String()+tail)
	_, err := config.LoadFile(path, nil, config.TestFeatures)
	if err == nil || strings.Count(err.Error(), "\n") != 50 || !strings.HasSuffix(err.Error(), path+": 70 more errors not shown") {
		t.Fatalf("want 50 errors and a count of the rest, got:\n%v", err)
	}
}

func TestBadValueIsReportedOnce(t *testing.T) {
	// A timeout that does not parse must not also be reported as "must be > 0".
	path := write(t, "waits:\n  kind:\n    clusterReady: {timeout: soon, polling: 1s}\n"+tail)
	_, err := config.LoadFile(path, nil, config.TestFeatures)
	if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.Contains(err.Error(), `"soon" is not a duration`) {
		t.Fatalf("want exactly one error about the duration, got:\n%v", err)
	}
}
