package config_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
)

// TestClusterEnvironment: the keys every cluster type shares, and the implementation's cluster
// profile, resolved for a kind environment (its own settings: kindconfig's tests).
func TestClusterEnvironment(t *testing.T) {
	path := configtest.ClusterDir(t)
	c := mustLoadFile(t, path, env("E2E_KUBERNETES_VERSION", "1.33", "E2E_KEEP", "1"))
	dir := filepath.Dir(path)
	cl := c.Cluster
	if cl == nil || cl.Settings == nil || !cl.Keep {
		t.Fatalf("Cluster = %+v", cl)
	}
	if cl.Receiver != (config.Receiver{Bind: config.ReceiverAuto}) || cl.NamespacePrefix != "tracegate" {
		t.Errorf("Receiver = %+v, NamespacePrefix = %q", cl.Receiver, cl.NamespacePrefix)
	}
	p := c.Implementation.Cluster
	if p == nil || p.GatewayClass != "eg" || p.Gateway != "tracegate" || p.GatewayAPI != filepath.Join(dir, "crds") ||
		len(p.Helm) != 1 || p.Helm[0].Values != filepath.Join(dir, "values.yaml") || p.Fixtures[0] != filepath.Join(dir, "suite") ||
		p.Proxy.Port != 8080 || p.Proxy.AdminPort != 19000 || p.Variants["sampling-zero"] != "tracegate-sampling-zero" ||
		!slices.Equal(p.Kubernetes.Versions, []string{"1.33", "1.34"}) || p.Kubernetes.Source != "Envoy Gateway's compatibility matrix" {
		t.Errorf("ClusterProfile = %+v", p)
	}
	if n := c.Implementation.SpanNames; n.Default != config.SpanNameHost ||
		n.Decorated != "THISISAROUTEDESCRIPTOR" ||
		c.Implementation.AttributeNaming != "envoy" {
		t.Errorf("SpanNames = %+v, AttributeNaming = %q", n, c.Implementation.AttributeNaming)
	}
	sum := c.Summary()
	for _, w := range []string{
		"receiver: bind auto, port 0, advertised as the bound address; namespace tracegate-<random>",
		"helm: eg oci://docker.io/envoyproxy/gateway-helm@v1.9.1 in envoy-gateway-system",
		"support window: Kubernetes 1.33, 1.34 (source: Envoy Gateway's compatibility matrix)",
	} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q:\n%s", w, sum)
		}
	}
}

// TestKeepExisting: E2E_KEEP keeps the run's namespace in an existing cluster too, instead of
// being ignored there.
func TestKeepExisting(t *testing.T) {
	c := mustLoadFile(t, configtest.ClusterDir(t), env("E2E_ENV", "existing", "E2E_KEEP", "true"))
	if !c.Cluster.Keep {
		t.Errorf("E2E_KEEP=true left Cluster.Keep false")
	}
}

func TestLocalHasNoCluster(t *testing.T) {
	c := mustLoadFile(t, configtest.ClusterDir(t), env("E2E_ENV", "local"))
	if c.Cluster != nil || c.Implementation.SpanNames.Default != config.SpanNameHost || c.Implementation.AttributeNaming != "semconv" {
		t.Fatalf("Cluster = %+v, Implementation = %+v", c.Cluster, c.Implementation)
	}
}

func TestClusterErrors(t *testing.T) {
	cases := map[string]struct {
		edits []string
		env   config.Env
		want  string
	}{
		"http protocol in a cluster": {
			edits: []string{"implementation: eg\n    otlpProtocol: grpc", "implementation: eg\n    otlpProtocol: http/protobuf"},
			want:  `:8: environments.kind.otlpProtocol: "http/protobuf" is not allowed for type kind; allowed: grpc`,
		},
		"cluster key on a local environment": {
			edits: []string{`local: {type: local, implementation: caddy}`, `local: {type: local, implementation: caddy, kubeconfig: x}`},
			want:  `:4: environments.local.kubeconfig: only environments of type existing, kind or kwok take kubeconfig; this one is of type local`,
		},
		"implementation without cluster profile": {
			edits: []string{"    type: kind\n    implementation: eg", "    type: kind\n    implementation: caddy"},
			want: `environments.kind.implementation: implementation "caddy" has no cluster profile (implementations.caddy.cluster), ` +
				`which an environment of type kind needs`,
		},
		"override to an implementation without cluster profile": {env: env("E2E_IMPLEMENTATION", "caddy"),
			want: `E2E_IMPLEMENTATION: implementation "caddy" has no cluster profile`},
		"receiver on every interface": {edits: []string{"bind: 192.0.2.10", "bind: 0.0.0.0"},
			want: `environments.existing.receiver.bind: "0.0.0.0" listens on every interface`},
		"receiver bind not an address": {edits: []string{"bind: 192.0.2.10", "bind: host.docker.internal"},
			want: `environments.existing.receiver.bind: "host.docker.internal" is not allowed; allowed: auto or an IP address of this machine`},
		"loopback receiver without advertise": {edits: []string{"bind: 192.0.2.10", "bind: 127.0.0.1"},
			want: `environments.existing.receiver.advertise: required when bind is a loopback address`},
		"unpinned chart": {edits: []string{"version: v1.9.1", "version: latest"},
			want: `implementations.eg.cluster.helm[0].version: "latest" is not allowed: pin the chart version`},
		"unknown helm key": {edits: []string{"values: values.yaml}", "values: values.yaml, wait: true}"},
			want: `implementations.eg.cluster.helm[0].wait: unknown field; allowed: release, chart, version, namespace, values, args, templateOnly`},
		"bad attribute naming": {edits: []string{"attributeNaming: envoy", "attributeNaming: otel"},
			want: `implementations.eg.attributeNaming: "otel" is not allowed; allowed: semconv, envoy`},
		"empty default span name": {edits: []string{`default: "{host}"`, `default: ""`},
			want: `implementations.eg.spanNames.default: must not be empty`},
		"unknown span name placeholder": {edits: []string{`default: "{host}"`, `default: "{route}"`},
			want: `implementations.eg.spanNames.default: "{route}" is no placeholder; allowed: {host}, {method}, or a literal name`},
		"missing proxy port": {edits: []string{"port: 8080, ", ""},
			want: `implementations.eg.cluster.proxy.port: 0 is not allowed; allowed: 1 to 65535`},
		"fixtures directory missing": {edits: []string{"fixtures: [suite]", "fixtures: [suite, nope]"},
			want: `implementations.eg.cluster.fixtures[1]: DIR/nope is not a directory`},
		"bad policy kind": {edits: []string{"policyKinds: [BackendTrafficPolicy]", "policyKinds: [backendtrafficpolicy]"},
			want: `implementations.eg.cluster.policyKinds[0]: "backendtrafficpolicy" is not a kind`},
		"unknown profile key": {edits: []string{
			"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n",
			"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n      hre: {}\n",
		},
			want: `:42: implementations.eg.cluster.hre: unknown field; allowed: gatewayClass, gatewayAPI, helm, install, controller, fixtures, ` +
				`gateway, proxy, policyKinds, variants, kubernetesVersions, kubernetesVersionsSource, exportDelay, statusUnwritten, kwok, localBuild`},
		"bad E2E_KEEP": {env: env("E2E_KEEP", "maybe"), want: `E2E_KEEP: "maybe" is not allowed; allowed: 1, true, 0, false`},
		"no support window": {edits: []string{`      kubernetesVersions: ["1.33", "1.34"]` + "\n", ""},
			want: `implementations.eg.cluster.kubernetesVersions: required: the Kubernetes versions this release supports`},
		"support window without source": {edits: []string{"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n", ""},
			want: `implementations.eg.cluster.kubernetesVersionsSource: required: ` +
				`where the implementation's project publishes the Kubernetes versions it supports`},
		"support window with a patch version": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33", "1.34.2"]`},
			want: `:40: implementations.eg.cluster.kubernetesVersions[1]: "1.34.2" is not a Kubernetes version; use major.minor`},
		"support window listing a version twice": {
			edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33", "1.33"]`},
			want:  `implementations.eg.cluster.kubernetesVersions[1]: "1.33" is listed twice`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := configtest.ClusterDir(t, tc.edits...)
			_, err := config.LoadFile(path, tc.env, config.TestFeatures)
			want := strings.ReplaceAll(tc.want, "DIR", filepath.Dir(path))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error lacks %q:\n%v", want, err)
			}
		})
	}
}
