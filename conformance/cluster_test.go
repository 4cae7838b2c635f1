package conformance

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/environment/cluster"
)

// TestClusterOptions: the kubeconfig, the receiver's addresses and the echo image reach an
// existing environment's config from the options; without an echo image the upstream is Gateway
// API's echo server and the config says so (UpstreamLimit), with one the fixtures run it.
func TestClusterOptions(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	c, err := load(t, WithEnvironment("existing"), WithKubeconfig(kubeconfig, "theirs"),
		WithReceiver("192.0.2.10", "198.51.100.7"), WithEchoImage("registry.example/echo:v1"))
	if err != nil {
		t.Fatal(err)
	}
	cl := c.Cluster
	if cl.Kubeconfig != kubeconfig ||
		cl.Context != "theirs" ||
		cl.Receiver.Bind != "192.0.2.10" ||
		cl.Receiver.Advertise != "198.51.100.7" ||
		cl.EchoImage != "registry.example/echo:v1" {
		t.Errorf("cluster settings %+v", cl)
	}
	if limit := c.UpstreamLimit(); limit != "" {
		t.Errorf("with an echo image: UpstreamLimit %q, want none", limit)
	}
	if d := cluster.NewFixtureData(c, "ns", ""); d.EchoImage != "registry.example/echo:v1" || d.EchoPullPolicy != "IfNotPresent" {
		t.Errorf("fixture data: echo %s, pull policy %s", d.EchoImage, d.EchoPullPolicy)
	}

	c, err = load(t, WithEnvironment("existing"))
	if err != nil {
		t.Fatal(err)
	}
	if limit := c.UpstreamLimit(); !strings.Contains(limit, "Gateway API's echo server") || !strings.Contains(limit, "E2E_ECHO_IMAGE") {
		t.Errorf("without an echo image: UpstreamLimit %q", limit)
	}
	if d := cluster.NewFixtureData(c, "ns", ""); d.EchoImage != cluster.ExistingEchoImage {
		t.Errorf("fixture data without an echo image: %s", d.EchoImage)
	}
	if c, err := load(t, WithEnvironment("envoy")); err != nil || c.UpstreamLimit() != "" {
		t.Errorf("a local environment runs the suite's echo: %v, %q", err, c.UpstreamLimit())
	}

	t.Setenv("E2E_RECEIVER_BIND", "0.0.0.0")
	if _, err := load(t, WithEnvironment("existing")); err == nil ||
		!strings.Contains(err.Error(), "E2E_RECEIVER_BIND (the receiver's bind address): \"0.0.0.0\" listens on every interface") {
		t.Errorf("a bad E2E_RECEIVER_BIND: %v", err)
	}
	if _, err := load(t, WithEnvironment("existing"), WithReceiver("127.0.0.1", "")); err == nil ||
		!strings.Contains(err.Error(), "E2E_RECEIVER_ADVERTISE") {
		t.Errorf("a loopback bind without an advertised address: %v", err)
	}
}

// TestToolsDir: a checkout's bin/, tool modules and build script are linked into the extracted
// root, the embedded files staying as they are; a directory that is no checkout is refused.
func TestToolsDir(t *testing.T) {
	checkout, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	o, err := newOptions([]Option{WithToolsDir(checkout)})
	if err != nil {
		t.Fatal(err)
	}
	root, _, _, err := o.prepare(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"bin", "scripts/build-tools.sh", "tools/envoy-gateway", "tools/kubernetes"} {
		if target, err := os.Readlink(filepath.Join(root, l)); err != nil || target != filepath.Join(checkout, l) {
			t.Errorf("%s: links to %q (%v), want %s", l, target, err, filepath.Join(checkout, l))
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "tools", "envoy")); err != nil || fi.Mode()&os.ModeSymlink != 0 {
		t.Errorf("tools/envoy (embedded, no module) should stay the embedded copy: %v", err)
	}
	if _, err := newOptions([]Option{WithToolsDir(t.TempDir())}); err == nil ||
		!strings.Contains(err.Error(), "is not a checkout of tracegate") {
		t.Errorf("a directory without scripts/build-tools.sh: %v", err)
	}
}

// TestSuiteFixturesFromTheProfile: an implementer's cluster profile names the suite's fixtures
// with the tracegate: prefix (from the embedded files) beside its own (from its directory).
func TestSuiteFixturesFromTheProfile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "suite"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeProfile(t, filepath.Join(dir, "suite"), "gateway.yaml.tmpl", "kind: Gateway\n")
	writeProfile(t, dir, "mine.yaml", `implementations:
  mine:
    features: [SpanName]
    cluster:
      gatewayClass: mine
      gatewayAPI: tracegate:fixtures/gateway-api/v1.6.1
      controller: {namespace: mine-system, deployment: mine}
      fixtures: [tracegate:fixtures/cluster/common, suite]
      gateway: tracegate
      proxy: {selector: "app=mine", port: 8080}
      kubernetesVersions: ["1.36"]
      kubernetesVersionsSource: "mine's release notes"
`)
	c, err := load(t, WithEnvironment("existing"), WithProfileFile(filepath.Join(dir, "mine.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(c.File)
	p := c.Implementation.Cluster
	if want := []string{filepath.Join(root, "fixtures", "cluster", "common"), filepath.Join(dir, "suite")}; !slices.Equal(p.Fixtures, want) {
		t.Errorf("fixtures %v, want %v", p.Fixtures, want)
	}
	if p.GatewayAPI != filepath.Join(root, "fixtures", "gateway-api", "v1.6.1") {
		t.Errorf("gatewayAPI %s", p.GatewayAPI)
	}
	writeProfile(t, dir, "bad.yaml", strings.Replace(
		readFile(t, filepath.Join(dir, "mine.yaml")),
		"tracegate:fixtures/cluster/common",
		"tracegate:fixtures/cluster/nothing",
		1,
	))
	if _, err := load(t, WithEnvironment("existing"), WithProfileFile(filepath.Join(dir, "bad.yaml"))); err == nil || !strings.Contains(
		err.Error(),
		"root/fixtures/cluster/nothing is not a directory (a path starting tracegate: is resolved against the suite's files",
	) {
		t.Errorf("a suite fixture that is not there: %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
