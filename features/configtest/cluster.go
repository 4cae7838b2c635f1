package configtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
)

// ClusterFile is a complete config file with a local, a kind, an existing and a kwok environment
// and an implementation with a cluster profile; tests edit it (ClusterDir).
const ClusterFile = `
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
        - {release: eg, chart: oci://docker.io/envoyproxy/gateway-helm, version: v1.9.1, ` +
	`namespace: envoy-gateway-system, values: values.yaml}
      fixtures: [suite]
      proxy: {selector: "gateway.envoyproxy.io/owning-gateway-name={{.Gateway}}", port: 8080, adminPort: 19000}
      policyKinds: [BackendTrafficPolicy]
      variants: {sampling-zero: tracegate-sampling-zero}
      kubernetesVersions: ["1.33", "1.34"]
      kubernetesVersionsSource: Envoy Gateway's compatibility matrix
`

// ClusterDir writes ClusterFile, edited by replacing each old text with its new (edits are
// old, new pairs), and the files it names into a new directory; it returns the file's path.
func ClusterDir(t testing.TB, edits ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"kind.yaml.tmpl":          "kind: Cluster\nname: {{.Name}}\n",
		"kwok.yaml.tmpl":          "kind: KwokctlConfiguration\n",
		"crds/a.yaml":             "kind: CustomResourceDefinition\n",
		"values.yaml":             "{}\n",
		"suite/gateway.yaml.tmpl": "kind: Gateway\n",
	}
	text := ClusterFile
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

// LoadCluster loads the file at path (ClusterDir) with the registered features and env as the
// environment variables, name and value pairs.
func LoadCluster(path string, env ...string) (*config.Config, error) {
	m := map[string]string{}
	for i := 0; i+1 < len(env); i += 2 {
		m[env[i]] = env[i+1]
	}
	return config.LoadFile(path, func(k string) (string, bool) { v, ok := m[k]; return v, ok }, tracing.Names())
}

// MustLoadCluster is LoadCluster for a file that must load.
func MustLoadCluster(t testing.TB, path string, env ...string) *config.Config {
	t.Helper()
	c, err := LoadCluster(path, env...)
	if err != nil {
		t.Fatalf("LoadFile(%s): %v", path, err)
	}
	return c
}

// WantError loads ClusterFile edited by edits, with env, and fails t unless the error holds
// want, in which DIR stands for the file's directory.
func WantError(t testing.TB, edits, env []string, want string) {
	t.Helper()
	path := ClusterDir(t, edits...)
	_, err := LoadCluster(path, env...)
	if want = strings.ReplaceAll(want, "DIR", filepath.Dir(path)); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error lacks %q:\n%v", want, err)
	}
}
