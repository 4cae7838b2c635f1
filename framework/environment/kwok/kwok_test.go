package kwok

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"

	"github.com/tracegate/tracegate/internal/testenv"
)

func repoConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	return configtest.Repo(t, env)
}

// TestPlan: a kwok run takes the shared cluster flow, with Envoy Gateway installed by the
// environment instead of Helm, and no port-forward.
func TestPlan(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	plan := New(cfg, nil).Plan()
	want := []string{"preflight", "tools", "cluster", "crds", "helm", "install", "receiver", "fixtures", "port-forward", "teardown"}
	if got := plan.Phases(); !slices.Equal(got, want) {
		t.Errorf("phases %v\nwant   %v\nplan:\n%s", got, want, plan)
	}
	text := plan.String()
	for _, w := range []string{
		"scripts/build-tools.sh",
		"kwokctl's binary runtime",
		"fixtures/gateway-api/v1.6.1",
		"certgen",
		"fixtures/kwok/overlay/envoy-gateway.yaml.tmpl",
		"wait listenerReady",
		"dials the Gateways' listeners at 198.18.0.1",
		"delete kwok cluster tracegate",
		"EnvoyProxy Accepted",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("plan lacks %q:\n%s", w, text)
		}
	}
	for _, no := range []string{"helm upgrade", "helm template", "port-forwards 127.0.0.1", "admin port"} {
		if strings.Contains(text, no) {
			t.Errorf("plan has %q, which kwok does not do:\n%s", no, text)
		}
	}
}

// TestPlanOfAControllerPerGateway: the contour profile starts a controller and a proxy for each
// Gateway in one step after the fixtures are created, and has no setup step.
func TestPlanOfAControllerPerGateway(t *testing.T) {
	plan := New(repoConfig(t, map[string]string{"E2E_ENV": "kwok", "E2E_IMPLEMENTATION": "contour"}), nil).Plan()
	var perGateway []string
	for _, step := range plan {
		if strings.HasPrefix(step.What, "for each Gateway") {
			perGateway = append(perGateway, step.Phase+" "+step.What)
		}
		if strings.Contains(step.What, "setup") {
			t.Errorf("a setup step for a profile without one: %s", step.What)
		}
	}
	if len(perGateway) != 1 ||
		!strings.HasPrefix(perGateway[0], "fixtures ") ||
		!strings.Contains(perGateway[0], "contour serve") ||
		!strings.Contains(perGateway[0], "then bootstrap") {
		t.Errorf("per-Gateway steps %q; want one fixtures step starting contour serve, then its proxy:\n%s", perGateway, plan)
	}
}

// overlaid renders the envoy-gateway profile's fixtures with the kwok overlay, as a run does.
func overlaid(t *testing.T) (*config.Config, []*unstructured.Unstructured) {
	t.Helper()
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	data := cluster.NewFixtureData(cfg, "tracegate-test", Address.String()+":43171")
	data.Source = map[string]any{
		"Address": Address.String(), "EchoPort": "41234", "ListenerPorts": gateways(cfg), "EnvoyVersion": "1.40.0",
		"ControllerNamespace": cfg.Implementation.Cluster.Controller.Namespace, "NodeName": nodeName, "ExportDelayMillis": int64(100),
	}
	objs, err := cluster.FixtureObjects(cfg, data, (&source{}).Overlay(cfg))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, objs
}

// TestOverlay renders the envoy-gateway profile's fixtures with the kwok overlay and checks
// what Host mode needs: Envoy as a local process of the pinned version, a listener port of its
// own per Gateway, each EnvoyProxy before its Gateway, Programmed stand-ins, and the echo
// Service pointing at the suite's echo upstream; everything else as the profile has it.
func TestOverlay(t *testing.T) {
	cfg, objs := overlaid(t)
	p := cfg.Implementation.Cluster
	ports := map[int32]string{}
	seen := map[string]bool{}
	standins := map[string]int{}
	for _, o := range objs {
		key := o.GetKind() + "/" + o.GetName()
		seen[key] = true
		data, _ := yaml.Marshal(o.Object)
		strict := func(into any) {
			if err := yaml.UnmarshalStrict(data, into); err != nil {
				t.Errorf("%s does not decode strictly into %T: %v\n%s", key, into, err, data)
			}
		}
		switch o.GetKind() {
		case "EnvoyProxy":
			prov, _, _ := unstructured.NestedMap(o.Object, "spec", "provider")
			if prov["type"] != "Host" || prov["kubernetes"] != nil || prov["host"].(map[string]any)["envoyVersion"] != "1.40.0" {
				t.Errorf("%s: provider %v, want Host with envoyVersion 1.40.0 and nothing of Kubernetes", key, prov)
			}
			args, _, _ := unstructured.NestedStringSlice(o.Object, "spec", "extraArgs")
			patches, _, _ := unstructured.NestedSlice(o.Object, "spec", "bootstrap", "jsonPatches")
			if !slices.Contains(args, "--use-dynamic-base-id") || len(patches) != 2 {
				t.Errorf("%s: extraArgs %v, %d bootstrap patches", key, args, len(patches))
			}
			_, traced, _ := unstructured.NestedMap(o.Object, "spec", "telemetry", "tracing")
			if off := o.GetName() == p.Variants["tracing-off"]; traced == off {
				t.Errorf("%s: tracing telemetry %v, want it on every Gateway's EnvoyProxy but tracing-off's (the profile's)", key, traced)
			}
		case "Gateway":
			var g gwapiv1.Gateway
			strict(&g)
			if !seen["EnvoyProxy/"+g.Name] {
				t.Errorf("Gateway %s comes before its EnvoyProxy", g.Name)
			}
			if len(g.Spec.Listeners) != 1 || ports[g.Spec.Listeners[0].Port] != "" {
				t.Errorf("Gateway %s: listeners %+v, want one on a port of its own (taken: %v)", g.Name, g.Spec.Listeners, ports)
			} else {
				ports[g.Spec.Listeners[0].Port] = g.Name
			}
		case "Deployment":
			var d appsv1.Deployment
			strict(&d)
			if d.Name == "echo" {
				t.Errorf("the echo Deployment is still there: no pod could reach Envoy on this machine")
			}
			if gw := d.Labels["gateway.envoyproxy.io/owning-gateway-name"]; gw != "" && d.Namespace == p.Controller.Namespace &&
				d.Labels["gateway.envoyproxy.io/owning-gateway-namespace"] == "tracegate-test" && len(d.Spec.Template.Spec.Tolerations) == 1 {
				standins[gw]++
			}
		case "Service":
			var s corev1.Service
			strict(&s)
			if s.Name == "echo" && len(s.Spec.Selector) != 0 {
				t.Errorf("the echo Service keeps its selector %v", s.Spec.Selector)
			}
			if gw := s.Labels["gateway.envoyproxy.io/owning-gateway-name"]; gw != "" &&
				s.Namespace == p.Controller.Namespace &&
				s.Spec.Type == corev1.ServiceTypeClusterIP {
				standins[gw]++
			}
		case "EndpointSlice":
			var es discoveryv1.EndpointSlice
			strict(&es)
			if es.Labels[discoveryv1.LabelServiceName] == "echo" &&
				(es.Endpoints[0].Addresses[0] != Address.String() || *es.Ports[0].Port != 41234 || *es.Ports[0].Name != "http") {
				t.Errorf("the echo EndpointSlice does not point at the echo upstream %s:41234: %+v", Address, es)
			}
		}
	}
	for gw := range gateways(cfg) {
		if standins[gw] != 2 {
			t.Errorf(
				"Gateway %s: %d of its 2 stand-ins (Service and Deployment in %s with its owner labels)",
				gw,
				standins[gw],
				p.Controller.Namespace,
			)
		}
	}
	for _, want := range []string{
		"Service/tracegate-otlp",
		"EndpointSlice/tracegate-otlp-receiver",
		"EndpointSlice/echo-upstream",
		"HTTPRoute/tracegate-echo",
		"BackendTrafficPolicy/tracegate-decorated",
	} {
		if !seen[want] {
			t.Errorf("no %s after the overlay", want)
		}
	}
}

// TestKwokctlConfig: the control plane comes from bin/, on 127.0.0.1, with the flag
// kube-apiserver 1.37 needs on loopback.
func TestKwokctlConfig(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	text, err := KwokctlConfig(cfg, "v1.37.2")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Kind    string         `json:"kind"`
		Options map[string]any `json:"options"`
		Patches []struct {
			Name      string `json:"name"`
			ExtraArgs []struct{ Key, Value string }
		} `json:"componentsPatches"`
	}
	if err := yaml.Unmarshal(text, &c); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(cfg.Dir, "bin")
	if c.Kind != "KwokctlConfiguration" ||
		c.Options["runtime"] != "binary" ||
		c.Options["bindAddress"] != "127.0.0.1" ||
		c.Options["kubeVersion"] != "v1.37.2" {
		t.Errorf("options %v", c.Options)
	}
	ports := map[float64]string{}
	for _, k := range []string{
		"kubeApiserverPort",
		"etcdPort",
		"etcdPeerPort",
		"kubeControllerManagerPort",
		"kubeSchedulerPort",
		"kwokControllerPort",
	} {
		p, ok := c.Options[k].(float64)
		if !ok || p <= 0 || p == 32766 {
			t.Errorf("%s %v: want a port the run chose (kwokctl's own choice, 32766 and down, is every run's)", k, c.Options[k])
		}
		if other, dup := ports[p]; dup {
			t.Errorf("%s and %s are both %v", k, other, p)
		}
		ports[p] = k
	}
	for _, k := range []string{
		"etcdBinary",
		"kubeApiserverBinary",
		"kubeControllerManagerBinary",
		"kubeSchedulerBinary",
		"kwokControllerBinary",
	} {
		if v, _ := c.Options[k].(string); !strings.HasPrefix(v, bin+"/") {
			t.Errorf("%s %q is not in %s", k, v, bin)
		}
	}
	if len(c.Patches) != 1 ||
		c.Patches[0].Name != "kube-apiserver" ||
		c.Patches[0].ExtraArgs[0].Key != "endpoint-reconciler-type" ||
		c.Patches[0].ExtraArgs[0].Value != "none" {
		t.Errorf("componentsPatches %+v", c.Patches)
	}
}

// TestEnvoyGatewayConfig: the envoy-gateway profile's controller config takes resources from
// Kubernetes and infrastructure Host, every directory of it in the controller's work directory.
func TestEnvoyGatewayConfig(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	text, err := cluster.RenderFile(profile(cfg).Config, envoyGatewayData{Work: "/w/controller"})
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := yaml.Unmarshal(text, &c); err != nil {
		t.Fatal(err)
	}
	custom, _, _ := unstructured.NestedMap(c, "provider", "custom")
	res, _, _ := unstructured.NestedString(custom, "resource", "type")
	infra, _, _ := unstructured.NestedString(custom, "infrastructure", "type")
	host, _, _ := unstructured.NestedStringMap(custom, "infrastructure", "host")
	if res != "Kubernetes" || infra != "Host" || len(host) != 4 {
		t.Fatalf("resource %q, infrastructure %q, host %v", res, infra, host)
	}
	for k, v := range host {
		if !strings.HasPrefix(v, "/w/controller/") {
			t.Errorf("host.%s %q is outside the work directory", k, v)
		}
	}
}

// TestContourConfig: the contour runner's configuration names the Gateway it serves and
// samples the sampling-zero variant at (nearly) 0%.
func TestContourConfig(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok", "E2E_IMPLEMENTATION": "contour"})
	for variant, want := range map[string]string{"": `"100"`, "sampling-zero": `"0.001"`} {
		text, err := cluster.RenderFile(profile(cfg).Config, contourData{Namespace: "ns", Gateway: "gw", Variant: variant, ServiceName: "svc"})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{
			"gatewayRef: {namespace: ns, name: gw}",
			"serviceName: svc",
			"overallSampling: " + want,
			"extensionService: ns/tracegate-otlp",
		} {
			if !strings.Contains(string(text), w) {
				t.Errorf("variant %q: the configuration lacks %q:\n%s", variant, w, text)
			}
		}
	}
}

// TestEveryKwokProfileHasARunner: each profile of the repository with a kwok section names a
// registered runner, and a profile naming none is refused with the runners there are.
func TestEveryKwokProfileHasARunner(t *testing.T) {
	for _, impl := range []string{"envoy-gateway", "contour"} {
		cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok", "E2E_IMPLEMENTATION": impl})
		if _, err := runnerOf(cfg); err != nil {
			t.Errorf("%s: %v", impl, err)
		}
	}
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	profile(cfg).Runner = "nope"
	if _, err := runnerOf(cfg); err == nil || !strings.Contains(err.Error(), `"nope" has no runner; allowed: contour, envoy-gateway`) {
		t.Errorf("an unknown runner gave %v", err)
	}
}

// TestEnvoyGatewayCRDs reads Envoy Gateway's CRDs from its module (go mod download: it may
// fetch the module once).
func TestEnvoyGatewayCRDs(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the module cache")
	}
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	text, version, err := ModuleCRDs(t.Context(), profile(cfg).CRDs)
	if err != nil {
		t.Fatal(err)
	}
	if version != "github.com/envoyproxy/gateway "+cfg.Implementation.Version || strings.Contains(string(text), "{{") {
		t.Errorf("version %s (profile %s); template lines left: %t", version, cfg.Implementation.Version, strings.Contains(string(text), "{{"))
	}
	if n := strings.Count(string(text), "\nkind: CustomResourceDefinition\n"); n != 8 {
		t.Errorf("%d CRDs, want Envoy Gateway's 8", n)
	}
}

func TestMountsBelow(t *testing.T) {
	info := "36 35 98:0 / /work/x/.tracegate/kwok-a/envoy-gateway/newroot rw - tmpfs t rw\n" +
		"37 35 98:0 / /work/x/.tracegate/kwok-ab rw - ext4 /dev/a rw\n" +
		"38 35 98:0 / /work rw - ext4 /dev/a rw\n"
	if got := mountsBelow(strings.NewReader(info), "/work/x/.tracegate/kwok-a"); len(got) != 1 || !strings.HasSuffix(got[0], "newroot") {
		t.Errorf("mountsBelow = %v, want only the newroot", got)
	}
}

// TestHelperGivesCerts runs fixtures/kwok/envoy-gateway-in-ns.sh as a run does (needs root):
// the command sees /certs, the machine's / does not get one, and no mount is left behind.
func TestHelperGivesCerts(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Skip(t, "needs root for a mount namespace")
	}
	if _, err := os.Stat("/certs"); err == nil {
		testenv.Skip(t, "this machine has a /certs of its own, which the test cannot tell from the one it would bind")
	}
	dir := t.TempDir()
	newroot, certs := filepath.Join(dir, "newroot"), filepath.Join(dir, "certs")
	for _, d := range []string{newroot, certs} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"ca.crt", "tls.crt", "tls.key"} {
		if err := os.WriteFile(filepath.Join(certs, f), []byte("file "+f), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(
		"unshare",
		"--mount",
		"--propagation",
		"private",
		"--",
		"sh",
		"../../../fixtures/kwok/envoy-gateway-in-ns.sh",
		newroot,
		certs,
		"cat",
		"/certs/tls.key",
	)
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "file tls.key" {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := os.Stat("/certs"); err == nil {
		t.Errorf("/certs exists on the machine after the run")
	}
	f, _ := os.Open("/proc/self/mountinfo")
	defer f.Close()
	if m := mountsBelow(f, dir); len(m) > 0 {
		t.Errorf("mounts left behind: %v", m)
	}
}

// TestConfigDumpChecksStatus: an admin answer other than 200 is an error, never saved as the
// config dump (issue 15, problem 5).
func TestConfigDumpChecksStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/config_dump" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"configs": []}`)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	dest := filepath.Join(t.TempDir(), "dump.json")
	if err := configDump(t.Context(), srv.Client(), addr, dest); err != nil {
		t.Fatal(err)
	}
	bad := httptest.NewServer(http.NotFoundHandler())
	defer bad.Close()
	dest2 := filepath.Join(t.TempDir(), "dump.json")
	if err := configDump(
		t.Context(),
		bad.Client(),
		strings.TrimPrefix(bad.URL, "http://"),
		dest2,
	); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("a 404 gave %v", err)
	}
	if _, err := os.Stat(dest2); err == nil {
		t.Errorf("a 404 page was saved as the config dump")
	}
}

// fakeRunner is a Runner a test registers, as a third implementation's file would.
type fakeRunner struct{}

func (fakeRunner) Describe(*config.Config) Description {
	return Description{Setup: "fake setup", Controller: "start fake controller", Gateway: "start fake proxy"}
}
func (fakeRunner) Setup(context.Context, *Host) error                 { return nil }
func (fakeRunner) StartController(context.Context, *Host) error       { return nil }
func (fakeRunner) StartGateway(context.Context, *Host, Gateway) error { return nil }

// TestARunnerPlacesItsSteps: what a registered runner says it does is in the plan where it runs:
// its setup and controller where the Helm charts would be, what serves each Gateway once the
// fixtures exist and before their status is waited on.
func TestARunnerPlacesItsSteps(t *testing.T) {
	if _, ok := runners["fake-for-test"]; !ok { // once, also under -count
		Register("fake-for-test", fakeRunner{})
	}
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	profile(cfg).Runner = "fake-for-test"
	var got []string
	for _, step := range New(cfg, nil).Plan() {
		if step.Phase != cluster.PhaseCluster && strings.Contains(step.What, "fake ") || strings.HasPrefix(step.What, "wait gatewayProgrammed") {
			got = append(got, step.Phase+": "+step.What)
		}
	}
	want := []string{
		"helm: create namespace envoy-gateway-system; fake setup",
		"helm: start fake controller",
		"fixtures: for each Gateway, start fake proxy",
	}
	if len(got) != 4 || !slices.Equal(got[:3], want) || !strings.Contains(got[3], "wait gatewayProgrammed") {
		t.Errorf("runner steps %q\nwant %q, then the wait for Programmed", got, want)
	}
}
