package kwok

import (
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

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

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
