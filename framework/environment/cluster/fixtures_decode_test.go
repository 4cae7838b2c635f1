package cluster_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	egv1a1 "github.com/envoyproxy/gateway/api/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

// profiles are the implementations in the repository's ginkgo.yaml that have a cluster profile.
var profiles = []string{"envoy-gateway", "kgateway"}

// repoConfig loads the repository's ginkgo.yaml for the kind environment and an implementation.
func repoConfig(t *testing.T, env, impl string) *config.Config {
	t.Helper()
	return configtest.Repo(t, map[string]string{"E2E_ENV": env, "E2E_IMPLEMENTATION": impl})
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
// rejected. Envoy Gateway's objects decode the same way into Envoy Gateway's own API types
// (github.com/envoyproxy/gateway/api/v1alpha1 at the version the profile installs,
// TestEnvoyGatewayTypesMatchProfile). kgateway's module is not served by the Go module proxy,
// so its objects are checked against the fields its API reference lists (kgatewayFields).
// Then it checks that the objects refer to each other and to the profile consistently.
func TestFixturesDecodeIntoTypedObjects(t *testing.T) {
	for _, impl := range profiles {
		t.Run(impl, func(t *testing.T) {
			cfg := repoConfig(t, "kind", impl)
			p := cfg.Implementation.Cluster
			data := cluster.NewFixtureData(cfg, "tracegate-test", "172.18.0.1:43171")
			data.RefusedPort = 43172
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
					// Each points its Service at a port beside the receiver: the receiver's own,
					// or the refusing port.
					want := map[string]int32{cluster.OTLPService: 43171, "tracegate-refused": 43172}
					svc := es.Labels[discoveryv1.LabelServiceName]
					if port, ok := want[svc]; !ok || len(es.Endpoints) != 1 || es.Endpoints[0].Addresses[0] != "172.18.0.1" || *es.Ports[0].Port != port {
						t.Errorf("%s: points %q at %+v, want one of %v at 172.18.0.1", d, svc, es, want)
					}
				case "gateway.envoyproxy.io/v1alpha1 EnvoyProxy":
					var ep egv1a1.EnvoyProxy
					strict(t, d, &ep)
					checkEnvoyProxy(t, d, &ep, data)
				case "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy":
					var btp egv1a1.BackendTrafficPolicy
					strict(t, d, &btp)
					checkBackendTrafficPolicy(t, d, &btp, cfg)
					policies = append(policies, d)
				case "gateway.kgateway.dev/v1alpha1 ListenerPolicy":
					checkDocumentedFields(t, d, kgatewayFields)
					// The parts whose type the reference names as Gateway API's.
					strictAt(t, d, &[]gwapiv1.LocalPolicyTargetReferenceWithSectionName{}, "spec", "targetRefs")
					strictAt(t, d, &gwapiv1.BackendRef{},
						"spec", "default", "httpSettings", "tracing", "provider", "openTelemetry", "grpcService", "backendRef")
					policies = append(policies, d)
				case "gateway.kgateway.dev/v1alpha1 GatewayParameters":
					checkDocumentedFields(t, d, kgatewayFields)
					strictAt(t, d, &[]corev1.EnvVar{}, "spec", "kube", "envoyContainer", "env") // the reference names core's EnvVar
				default:
					t.Errorf("%s: %s is not a kind the fixture tests know; add a case with its type", d, gvk)
				}
			}
			checkReferences(t, cfg, gateways, routes, services, policies)
		})
	}
}

// checkReferences checks what the objects say about each other: routes attach to the fixtures'
// Gateways, which use the profile's class and listen on the port the port-forward targets;
// backends exist; policies target existing objects; every variant has its Gateway.
func checkReferences(
	t *testing.T,
	cfg *config.Config,
	gateways map[string]*gwapiv1.Gateway,
	routes map[string]*gwapiv1.HTTPRoute,
	services map[string]bool,
	policies []document,
) {
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
		t.Errorf(
			"spanNames.decorated is %q but no policy of the fixtures names the route tracegate-decorated",
			cfg.Implementation.SpanNames.Decorated,
		)
	}
}
