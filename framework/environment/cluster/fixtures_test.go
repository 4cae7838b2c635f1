package cluster_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

// profiles are the implementations in the repository's ginkgo.yaml that have a cluster profile.
var profiles = []string{"envoy-gateway", "kgateway"}

// repoConfig loads the repository's ginkgo.yaml for the kind environment and an implementation.
func repoConfig(t *testing.T, env, impl string) *config.Config {
	t.Helper()
	path, err := filepath.Abs("../../../ginkgo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.LoadFile(path, func(k string) (string, bool) {
		v, ok := map[string]string{"E2E_ENV": env, "E2E_IMPLEMENTATION": impl}[k]
		return v, ok
	}, tracing.Names())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// document is one rendered manifest document, with where it came from.
type document struct {
	file string
	data []byte
	u    unstructured.Unstructured
}

func (d document) String() string {
	return fmt.Sprintf("%s: %s %s", filepath.Base(d.file), d.u.GetKind(), d.u.GetName())
}

// renderAll renders every fixture of a profile's directories and splits it into documents.
func renderAll(t *testing.T, data cluster.FixtureData, dirs ...string) []document {
	t.Helper()
	var docs []document
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.yaml*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no fixtures (%v)", dir, err)
		}
		for _, f := range files {
			text, err := cluster.Render(f, data)
			if err != nil {
				t.Fatal(err)
			}
			r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(text)))
			for {
				b, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				d := document{file: f, data: b}
				if err := yaml.Unmarshal(b, &d.u.Object); err != nil {
					t.Fatalf("%s: %v\n%s", f, err, b)
				}
				if d.u.Object == nil {
					continue // a document of comments only
				}
				docs = append(docs, d)
			}
		}
	}
	return docs
}

// strict decodes a document into a typed object, rejecting fields the type does not have.
func strict(t *testing.T, d document, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(d.data, into); err != nil {
		t.Errorf("%s: does not decode strictly into %T: %v\n%s", d, into, err, d.data)
	}
}

// TestFixturesDecodeIntoTypedObjects renders every fixture of every cluster profile and decodes
// each document into its Gateway API, core, apps or discovery type with unknown fields
// rejected; implementation CRDs are checked for kind, apiVersion and the fields the suite needs.
// Then it checks that the objects refer to each other and to the profile consistently.
func TestFixturesDecodeIntoTypedObjects(t *testing.T) {
	for _, impl := range profiles {
		t.Run(impl, func(t *testing.T) {
			cfg := repoConfig(t, "kind", impl)
			p := cfg.Implementation.Cluster
			data := cluster.NewFixtureData(cfg, "tracegate-test", "172.18.0.1:43171")
			dirs := slices.Clone(p.Fixtures)
			if p.Install != "" {
				dirs = append(dirs, p.Install)
			}
			gateways, routes, services := map[string]*gwapiv1.Gateway{}, map[string]*gwapiv1.HTTPRoute{}, map[string]bool{}
			var policies []document
			for _, d := range renderAll(t, data, dirs...) {
				gvk := d.u.GroupVersionKind()
				if d.u.GetName() == "" {
					t.Errorf("%s: no metadata.name", d)
				}
				clusterScoped := gvk.Kind == "GatewayClass"
				if ns := d.u.GetNamespace(); !clusterScoped && ns != data.Namespace {
					t.Errorf("%s: namespace %q, want the run's %q", d, ns, data.Namespace)
				}
				switch gvk.GroupVersion().String() + " " + gvk.Kind {
				case "gateway.networking.k8s.io/v1 Gateway":
					var g gwapiv1.Gateway
					strict(t, d, &g)
					gateways[g.Name] = &g
				case "gateway.networking.k8s.io/v1 HTTPRoute":
					var r gwapiv1.HTTPRoute
					strict(t, d, &r)
					routes[r.Name] = &r
				case "gateway.networking.k8s.io/v1 GatewayClass":
					var c gwapiv1.GatewayClass
					strict(t, d, &c)
					if c.Name != p.GatewayClass || c.Spec.ControllerName == "" {
						t.Errorf("%s: name %q controller %q, want the profile's class %q and a controller", d, c.Name, c.Spec.ControllerName, p.GatewayClass)
					}
				case "v1 Service":
					var s corev1.Service
					strict(t, d, &s)
					services[s.Name] = true
				case "apps/v1 Deployment":
					var dep appsv1.Deployment
					strict(t, d, &dep)
					for _, c := range dep.Spec.Template.Spec.Containers {
						if !strings.Contains(c.Image, ":") || strings.HasSuffix(c.Image, ":latest") {
							t.Errorf("%s: image %q is not pinned", d, c.Image)
						}
					}
				case "discovery.k8s.io/v1 EndpointSlice":
					var es discoveryv1.EndpointSlice
					strict(t, d, &es)
					if es.Labels[discoveryv1.LabelServiceName] != cluster.OTLPService || len(es.Endpoints) != 1 ||
						es.Endpoints[0].Addresses[0] != "172.18.0.1" || *es.Ports[0].Port != 43171 {
						t.Errorf("%s: does not point %s at the receiver 172.18.0.1:43171: %+v", d, cluster.OTLPService, es)
					}
				case "gateway.envoyproxy.io/v1alpha1 EnvoyProxy":
					checkEnvoyProxy(t, d, data)
				case "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy", "gateway.kgateway.dev/v1alpha1 ListenerPolicy":
					policies = append(policies, d)
				case "gateway.kgateway.dev/v1alpha1 GatewayParameters":
					requireFields(t, d, "spec", "kube", "envoyContainer", "env")
				default:
					t.Errorf("%s: %s is not a kind the fixture tests know; add a case with its type", d, gvk)
				}
			}
			checkReferences(t, cfg, gateways, routes, services, policies)
		})
	}
}

func checkEnvoyProxy(t *testing.T, d document, data cluster.FixtureData) {
	t.Helper()
	requireFields(t, d, "spec", "telemetry", "tracing", "spanName", "client")
	refs, _, _ := unstructured.NestedSlice(d.u.Object, "spec", "telemetry", "tracing", "provider", "backendRefs")
	if len(refs) != 1 || refs[0].(map[string]any)["name"] != data.OTLPService {
		t.Errorf("%s: tracing backendRefs %v, want the Service %s", d, refs, data.OTLPService)
	}
	known := map[string]bool{"samplingRate": true, "provider": true, "tags": true, "spanName": true}
	tracing, _, _ := unstructured.NestedMap(d.u.Object, "spec", "telemetry", "tracing")
	for k := range tracing {
		if !known[k] {
			t.Errorf("%s: spec.telemetry.tracing.%s is not a field the suite uses; check it against Envoy Gateway's API", d, k)
		}
	}
}

// requireFields fails unless the document has a value at the path.
func requireFields(t *testing.T, d document, path ...string) {
	t.Helper()
	if _, found, err := unstructured.NestedFieldNoCopy(d.u.Object, path...); !found || err != nil {
		t.Errorf("%s: %s is required", d, strings.Join(path, "."))
	}
}

// checkReferences checks what the objects say about each other: routes attach to the fixtures'
// Gateways, which use the profile's class and listen on the port the port-forward targets;
// backends exist; policies target existing objects; every variant has its Gateway.
func checkReferences(t *testing.T, cfg *config.Config, gateways map[string]*gwapiv1.Gateway, routes map[string]*gwapiv1.HTTPRoute, services map[string]bool, policies []document) {
	t.Helper()
	p := cfg.Implementation.Cluster
	want := []string{p.Gateway}
	for _, g := range p.Variants {
		want = append(want, g)
	}
	for _, name := range want {
		g, ok := gateways[name]
		if !ok {
			t.Errorf("no Gateway %q in the fixtures; the profile names it", name)
			continue
		}
		if string(g.Spec.GatewayClassName) != p.GatewayClass {
			t.Errorf("Gateway %s: class %q, want the profile's %q", name, g.Spec.GatewayClassName, p.GatewayClass)
		}
		if len(g.Spec.Listeners) != 1 || int(g.Spec.Listeners[0].Port) != p.Proxy.Port {
			t.Errorf("Gateway %s: listeners %+v, want one on the profile's proxy port %d", name, g.Spec.Listeners, p.Proxy.Port)
		}
	}
	if !services["echo"] || !services[cluster.OTLPService] {
		t.Errorf("Services %v, want echo and %s", services, cluster.OTLPService)
	}
	for name, r := range routes {
		for _, ref := range r.Spec.ParentRefs {
			if _, ok := gateways[string(ref.Name)]; !ok {
				t.Errorf("HTTPRoute %s: parent %q is not a Gateway of the fixtures", name, ref.Name)
			}
		}
		if len(r.Spec.ParentRefs) != len(want) {
			t.Errorf("HTTPRoute %s: %d parents, want every Gateway (%v)", name, len(r.Spec.ParentRefs), want)
		}
		for _, rule := range r.Spec.Rules {
			for _, b := range rule.BackendRefs {
				if !services[string(b.Name)] {
					t.Errorf("HTTPRoute %s: backend %q is not a Service of the fixtures", name, b.Name)
				}
			}
		}
	}
	for _, d := range policies {
		refs, _, _ := unstructured.NestedSlice(d.u.Object, "spec", "targetRefs")
		if len(refs) == 0 {
			t.Errorf("%s: spec.targetRefs is required", d)
		}
		for _, r := range refs {
			m := r.(map[string]any)
			name, _ := m["name"].(string)
			_, isGateway := gateways[name]
			_, isRoute := routes[name]
			if !(m["kind"] == "Gateway" && isGateway) && !(m["kind"] == "HTTPRoute" && isRoute) {
				t.Errorf("%s: targets %v %q, which the fixtures do not have", d, m["kind"], name)
			}
		}
		if !slices.Contains(p.PolicyKinds, d.u.GetKind()) {
			t.Errorf("%s: kind %s is not in the profile's policyKinds %v, so its status is not waited on", d, d.u.GetKind(), p.PolicyKinds)
		}
	}
	decorated := false
	for _, d := range policies {
		refs, _, _ := unstructured.NestedSlice(d.u.Object, "spec", "targetRefs")
		for _, r := range refs {
			decorated = decorated || r.(map[string]any)["name"] == "tracegate-decorated"
		}
	}
	if cfg.Implementation.SpanNames.Decorated != "" && !decorated {
		t.Errorf("spanNames.decorated is %q but no policy of the fixtures names the route tracegate-decorated", cfg.Implementation.SpanNames.Decorated)
	}
}

// TestGatewayAPIDataMatchesGoTypes checks that the CRDs kept as data are one release, the
// release of the Go types the fixtures are checked against.
func TestGatewayAPIDataMatchesGoTypes(t *testing.T) {
	gomod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*sigs\.k8s\.io/gateway-api (v\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod does not require sigs.k8s.io/gateway-api")
	}
	module := string(m[1])
	for _, impl := range profiles {
		dir := repoConfig(t, "kind", impl).Implementation.Cluster.GatewayAPI
		if filepath.Base(dir) != module {
			t.Errorf("%s: gatewayAPI %s, but go.mod has sigs.k8s.io/gateway-api %s", impl, dir, module)
		}
		docs := renderAll(t, cluster.FixtureData{}, dir)
		crds := 0
		for _, d := range docs {
			if v := d.u.GetAnnotations()["gateway.networking.k8s.io/bundle-version"]; v != module {
				t.Errorf("%s: bundle-version %q, want %s", d, v, module)
			}
			if d.u.GetKind() == "CustomResourceDefinition" {
				crds++
			}
		}
		if crds < 5 {
			t.Errorf("%s holds %d CRDs", dir, crds)
		}
	}
}

// TestHelmValues decodes every values file the profiles pass to Helm, and Envoy Gateway's
// strictly: it must turn the chart's own Gateway API CRDs off.
func TestHelmValues(t *testing.T) {
	for _, impl := range profiles {
		for _, h := range repoConfig(t, "kind", impl).Implementation.Cluster.Helm {
			if h.Values == "" {
				continue
			}
			data, err := os.ReadFile(h.Values)
			if err != nil {
				t.Fatal(err)
			}
			var values map[string]any
			if err := yaml.UnmarshalStrict(data, &values); err != nil {
				t.Errorf("%s: %v", h.Values, err)
			}
			if impl == "envoy-gateway" {
				var eg struct {
					CRDs struct {
						Enabled *bool `json:"enabled"`
					} `json:"crds"`
				}
				if err := yaml.UnmarshalStrict(data, &eg); err != nil {
					t.Errorf("%s: %v", h.Values, err)
				} else if eg.CRDs.Enabled == nil || *eg.CRDs.Enabled {
					t.Errorf("%s: crds.enabled must be false: the standard CRDs come from fixtures/gateway-api", h.Values)
				}
			}
		}
	}
}

// TestParametersBeforeGateways: every Gateway comes after the parameters object it names (an
// EnvoyProxy, GatewayParameters), so that the controller never sees a Gateway whose parameters
// do not exist yet (issue 15, problem 3); those parameters ask for a ClusterIP Service, which
// needs no load-balancer controller (problem 2); and where the implementation reports the
// parameters' status (EnvoyProxy), it is waited on.
func TestParametersBeforeGateways(t *testing.T) {
	for _, impl := range profiles {
		t.Run(impl, func(t *testing.T) {
			cfg := repoConfig(t, "kind", impl)
			seen := map[string]document{}
			var checked int
			for _, d := range renderAll(t, cluster.NewFixtureData(cfg, "ns", "172.18.0.1:4317"), cfg.Implementation.Cluster.Fixtures...) {
				seen[d.u.GetKind()+"/"+d.u.GetName()] = d
				if d.u.GetKind() != "Gateway" {
					continue
				}
				ref, _, _ := unstructured.NestedStringMap(d.u.Object, "spec", "infrastructure", "parametersRef")
				params, ok := seen[ref["kind"]+"/"+ref["name"]]
				if !ok {
					t.Errorf("%s: its parameters %s %s do not come before it", d, ref["kind"], ref["name"])
					continue
				}
				checked++
				typ, _, _ := unstructured.NestedString(params.u.Object, "spec", "provider", "kubernetes", "envoyService", "type")
				if impl == "kgateway" {
					typ, _, _ = unstructured.NestedString(params.u.Object, "spec", "kube", "service", "type")
				}
				if typ != "ClusterIP" {
					t.Errorf("%s: Service type %q, want ClusterIP", params, typ)
				}
				if impl == "envoy-gateway" && !slices.Contains(cfg.Implementation.Cluster.PolicyKinds, ref["kind"]) {
					t.Errorf("%s is not in policyKinds %v: its Accepted is not waited on", ref["kind"], cfg.Implementation.Cluster.PolicyKinds)
				}
			}
			if checked != 1+len(cfg.Implementation.Cluster.Variants) {
				t.Errorf("checked %d Gateways, want every Gateway of the profile", checked)
			}
		})
	}
}
