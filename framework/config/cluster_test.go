package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/config"
)

// clusterFile is a complete file with a kind and an existing environment; cases edit it.
const clusterFile = `
environment: kind
environments:
  local: {type: local, implementation: caddy}
  kind:
    type: kind
    implementation: eg
    otlpProtocol: grpc
    cluster:
      kubernetesVersion: "1.34"
      nodeImages:
        "1.34": kindest/node:v1.34.3@sha256:08497ee19eace7b4b5348db5c6a1591d7752b164530a36f855cb0f2bdcbadd48
        "1.33": kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040
      config: kind.yaml.tmpl
  existing:
    type: existing
    implementation: eg
    otlpProtocol: grpc
    receiver: {bind: 192.0.2.10, port: 4317}
  kwok:
    type: kwok
    implementation: eg
    otlpProtocol: grpc
    cluster: {name: tg, config: kwok.yaml.tmpl}
implementations:
  caddy:
    local: {command: [caddy]}
  eg:
    spanNames: {default: "{host}", decorated: THISISAROUTEDESCRIPTOR}
    attributeNaming: envoy
    cluster:
      gatewayClass: eg
      gatewayAPI: crds
      helm:
        - {release: eg, chart: oci://docker.io/envoyproxy/gateway-helm, version: v1.9.1, namespace: envoy-gateway-system, values: values.yaml}
      fixtures: [suite]
      proxy: {selector: "gateway.envoyproxy.io/owning-gateway-name={{.Gateway}}", port: 8080, adminPort: 19000}
      policyKinds: [BackendTrafficPolicy]
      variants: {sampling-zero: tracegate-sampling-zero}
      kubernetesVersions: ["1.33", "1.34"]
      kubernetesVersionsSource: Envoy Gateway's compatibility matrix
`

// clusterDir writes clusterFile (edited by replacing old with new) and the files it names.
func clusterDir(t *testing.T, edits ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"kind.yaml.tmpl": "kind: Cluster\nname: {{.Name}}\n", "kwok.yaml.tmpl": "kind: KwokctlConfiguration\n", "crds/a.yaml": "kind: CustomResourceDefinition\n",
		"values.yaml": "{}\n", "suite/gateway.yaml.tmpl": "kind: Gateway\n",
	}
	text := clusterFile
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("edit %q: not in the file", edits[i])
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	files["ginkgo.yaml"] = text
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "ginkgo.yaml")
}

func TestKindEnvironment(t *testing.T) {
	path := clusterDir(t)
	c := mustLoadFile(t, path, env("E2E_KUBERNETES_VERSION", "1.33", "E2E_KEEP", "1"))
	dir := filepath.Dir(path)
	cl := c.Cluster
	if cl == nil || cl.Kind == nil {
		t.Fatalf("Cluster = %+v", cl)
	}
	want := config.KindCluster{
		Name: "tracegate", KubernetesVersion: "1.33", Config: filepath.Join(dir, "kind.yaml.tmpl"), Keep: true,
		NodeImage: "kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040",
		NodeImages: map[string]string{
			"1.33": "kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040",
			"1.34": "kindest/node:v1.34.3@sha256:08497ee19eace7b4b5348db5c6a1591d7752b164530a36f855cb0f2bdcbadd48",
		},
		LoadImages: []string{config.EchoImage},
	}
	if !reflect.DeepEqual(*cl.Kind, want) {
		t.Errorf("Kind = %+v\nwant   %+v", *cl.Kind, want)
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
	if n := c.Implementation.SpanNames; n.Default != config.SpanNameHost || n.Decorated != "THISISAROUTEDESCRIPTOR" || c.Implementation.AttributeNaming != "envoy" {
		t.Errorf("SpanNames = %+v, AttributeNaming = %q", n, c.Implementation.AttributeNaming)
	}
	sum := c.Summary()
	for _, w := range []string{
		"kind cluster: tracegate, Kubernetes 1.33 (kindest/node:v1.33.7@sha256:",
		"receiver: bind auto, port 0, advertised as the bound address; namespace tracegate-<random>",
		"helm: eg oci://docker.io/envoyproxy/gateway-helm@v1.9.1 in envoy-gateway-system",
		"overrides: E2E_KUBERNETES_VERSION=1.33, E2E_KEEP=1",
		"support window: Kubernetes 1.33, 1.34 (source: Envoy Gateway's compatibility matrix)",
	} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q:\n%s", w, sum)
		}
	}
}

func TestExistingEnvironment(t *testing.T) {
	c := mustLoadFile(t, clusterDir(t), env("E2E_ENV", "existing"))
	if cl := c.Cluster; cl == nil || cl.Kind != nil || cl.Receiver.Bind != "192.0.2.10" || cl.Receiver.Port != 4317 {
		t.Fatalf("Cluster = %+v", cl)
	}
	if !strings.Contains(c.Summary(), "existing cluster: kubeconfig $KUBECONFIG, context (current)") {
		t.Errorf("summary:\n%s", c.Summary())
	}
}

func TestKwokEnvironment(t *testing.T) {
	path := clusterDir(t)
	c := mustLoadFile(t, path, env("E2E_ENV", "kwok", "E2E_KEEP", "1"))
	cl := c.Cluster
	if cl == nil || cl.Kind != nil || cl.Kwok == nil {
		t.Fatalf("Cluster = %+v", cl)
	}
	want := config.KwokCluster{Name: "tg", Config: filepath.Join(filepath.Dir(path), "kwok.yaml.tmpl"), Keep: true}
	if *cl.Kwok != want || !cl.Keep || cl.Receiver.Bind != config.ReceiverAuto {
		t.Errorf("Kwok = %+v, Keep %t, Receiver %+v\nwant   %+v", *cl.Kwok, cl.Keep, cl.Receiver, want)
	}
	if !strings.Contains(c.Summary(), "kwok cluster: tg, config ") {
		t.Errorf("summary:\n%s", c.Summary())
	}
}

// TestKeepExisting: E2E_KEEP keeps the run's namespace in an existing cluster too, instead of
// being ignored there.
func TestKeepExisting(t *testing.T) {
	c := mustLoadFile(t, clusterDir(t), env("E2E_ENV", "existing", "E2E_KEEP", "true"))
	if !c.Cluster.Keep {
		t.Errorf("E2E_KEEP=true left Cluster.Keep false")
	}
}

func TestLocalHasNoCluster(t *testing.T) {
	c := mustLoadFile(t, clusterDir(t), env("E2E_ENV", "local"))
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
		"unknown key": {edits: []string{`      config: kind.yaml.tmpl`, `      config: kind.yaml.tmpl
      image: kindest/node:v1.34.3`},
			want: `:15: environments.kind.cluster.image: unknown field; allowed: name, kubernetesVersion, nodeImages, config, keep, recreateOnMismatch`},
		"image not pinned by digest": {edits: []string{`"1.33": kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040`, `"1.33": kindest/node:v1.33.7`},
			want: `:13: environments.kind.cluster.nodeImages."1.33": "kindest/node:v1.33.7" is not a node image pinned by digest`},
		"image of another version": {edits: []string{`"1.33": kindest/node:v1.33.7`, `"1.33": kindest/node:v1.32.7`},
			want: `environments.kind.cluster.nodeImages."1.33": image "kindest/node:v1.32.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040" is Kubernetes 1.32, not 1.33`},
		"version without image": {edits: []string{`kubernetesVersion: "1.34"`, `kubernetesVersion: "1.35"`},
			want: `:10: environments.kind.cluster.kubernetesVersion: "1.35" has no node image; allowed: 1.33, 1.34 (add it to nodeImages)`},
		"version override without image": {env: env("E2E_KUBERNETES_VERSION", "1.30"),
			want: `E2E_KUBERNETES_VERSION: "1.30" has no node image in environments.kind.cluster.nodeImages of `},
		"missing kind config": {edits: []string{`config: kind.yaml.tmpl`, `config: nope.tmpl`},
			want: `environments.kind.cluster.config: ` + "DIR" + `/nope.tmpl does not exist`},
		"kind without cluster": {edits: []string{"    cluster:\n      kubernetesVersion", "    clustr:\n      kubernetesVersion"},
			want: `environments.kind.cluster: required for type kind`},
		"http protocol in a cluster": {edits: []string{"implementation: eg\n    otlpProtocol: grpc", "implementation: eg\n    otlpProtocol: http/protobuf"},
			want: `:8: environments.kind.otlpProtocol: "http/protobuf" is not allowed for type kind; allowed: grpc`},
		"cluster key on a local environment": {edits: []string{`local: {type: local, implementation: caddy}`, `local: {type: local, implementation: caddy, kubeconfig: x}`},
			want: `:4: environments.local.kubeconfig: only environments of type kind, kwok or existing take kubeconfig; this one is of type local`},
		"implementation without cluster profile": {edits: []string{"    type: kind\n    implementation: eg", "    type: kind\n    implementation: caddy"},
			want: `environments.kind.implementation: implementation "caddy" has no cluster profile (implementations.caddy.cluster), which an environment of type kind needs`},
		"override to an implementation without cluster profile": {env: env("E2E_IMPLEMENTATION", "caddy"),
			want: `E2E_IMPLEMENTATION: implementation "caddy" has no cluster profile`},
		"receiver on every interface": {edits: []string{"bind: 192.0.2.10", "bind: 0.0.0.0"},
			want: `environments.existing.receiver.bind: "0.0.0.0" listens on every interface`},
		"receiver bind not an address": {edits: []string{"bind: 192.0.2.10", "bind: host.docker.internal"},
			want: `environments.existing.receiver.bind: "host.docker.internal" is not allowed; allowed: auto or an IP address of this machine`},
		"loopback receiver without advertise": {edits: []string{"bind: 192.0.2.10", "bind: 127.0.0.1"},
			want: `environments.existing.receiver.advertise: required when bind is a loopback address`},
		"kubeconfig for kind": {edits: []string{"    type: kind\n", "    type: kind\n    kubeconfig: /tmp/x\n"},
			want: `environments.kind.kubeconfig: not allowed for type kind`},
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
		"kwok without cluster": {edits: []string{"    cluster: {name: tg, config: kwok.yaml.tmpl}\n", ""},
			want: `environments.kwok.cluster: required for type kwok`},
		"kwok without config": {edits: []string{"{name: tg, config: kwok.yaml.tmpl}", "{name: tg}"},
			want: `environments.kwok.cluster.config: required for type kwok`},
		"kind keys on kwok": {edits: []string{"{name: tg, config: kwok.yaml.tmpl}", `{name: tg, config: kwok.yaml.tmpl, kubernetesVersion: "1.34"}`},
			want: `environments.kwok.cluster.kubernetesVersion: not allowed for type kwok`},
		"kwok receiver bind": {edits: []string{"{name: tg, config: kwok.yaml.tmpl}", "{name: tg, config: kwok.yaml.tmpl}\n    receiver: {bind: 127.0.0.1}"},
			want: `environments.kwok.receiver.bind: "127.0.0.1" is not allowed for type kwok; allowed: auto`},
		"kubeconfig for kwok": {edits: []string{"    type: kwok\n", "    type: kwok\n    kubeconfig: /tmp/x\n"},
			want: `environments.kwok.kubeconfig: not allowed for type kwok`},
		"bad E2E_KEEP": {env: env("E2E_KEEP", "maybe"), want: `E2E_KEEP: "maybe" is not allowed; allowed: 1, true, 0, false`},
		"no support window": {edits: []string{`      kubernetesVersions: ["1.33", "1.34"]` + "\n", ""},
			want: `implementations.eg.cluster.kubernetesVersions: required: the Kubernetes versions this release supports`},
		"support window without source": {edits: []string{"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n", ""},
			want: `implementations.eg.cluster.kubernetesVersionsSource: required: where the implementation's project publishes the Kubernetes versions it supports`},
		"support window with a patch version": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33", "1.34.2"]`},
			want: `:40: implementations.eg.cluster.kubernetesVersions[1]: "1.34.2" is not a Kubernetes version; use major.minor`},
		"support window listing a version twice": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33", "1.33"]`},
			want: `implementations.eg.cluster.kubernetesVersions[1]: "1.33" is listed twice`},
		// The file's own pair: the error is on the line of the version.
		"version outside the window": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33", "1.35"]`},
			want: `:10: environments.kind.cluster.kubernetesVersion: Kubernetes 1.34 is outside the support window of implementation eg: Kubernetes 1.33, 1.35 (source: Envoy Gateway's compatibility matrix), as implementations.eg.cluster.kubernetesVersions in DIR/ginkgo.yaml says; pick one of the window that has a node image: 1.33 (E2E_KUBERNETES_VERSION, or environments.kind.cluster.kubernetesVersion)`},
		"version override outside the window": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.34"]`}, env: env("E2E_KUBERNETES_VERSION", "1.33"),
			want: `E2E_KUBERNETES_VERSION: Kubernetes 1.33 is outside the support window of implementation eg: Kubernetes 1.34 (source: Envoy Gateway's compatibility matrix)`},
		"window without a node image": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.36"]`},
			want: `no version of the window has a node image in environments.kind.cluster.nodeImages: pin one from the release notes of the kind in tools/kind`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := clusterDir(t, tc.edits...)
			_, err := config.LoadFile(path, tc.env, config.TestFeatures)
			want := strings.ReplaceAll(tc.want, "DIR", filepath.Dir(path))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("error lacks %q:\n%v", want, err)
			}
		})
	}
}
