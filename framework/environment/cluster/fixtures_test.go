package cluster_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
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
	"github.com/tracegate/tracegate/framework/contract"
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

// checkEnvoyProxy checks what the suite needs of an EnvoyProxy: OpenTelemetry export to the
// receiver's Service, the span name, and the sampling of its Gateway (the main one 100%, the
// sampling-zero variant's a parent-based sampler that starts no trace).
func checkEnvoyProxy(t *testing.T, d document, ep *egv1a1.EnvoyProxy, data cluster.FixtureData) {
	t.Helper()
	off := ep.Name == data.Variants["tracing-off"]
	switch {
	case off && ep.Spec.Telemetry != nil:
		t.Errorf("%s: the tracing-off Gateway's EnvoyProxy has telemetry %+v, want none: it traces nothing", d, ep.Spec.Telemetry)
		return
	case off:
		return
	case ep.Spec.Telemetry == nil || ep.Spec.Telemetry.Tracing == nil:
		t.Errorf("%s: spec.telemetry.tracing is required", d)
		return
	}
	tr := ep.Spec.Telemetry.Tracing
	if tr.SpanName == nil || tr.SpanName.Client == "" {
		t.Errorf("%s: spec.telemetry.tracing.spanName.client is required: it names the SERVER span", d)
	}
	if p := tr.Provider; p.Type != egv1a1.TracingProviderTypeOpenTelemetry ||
		len(p.BackendRefs) != 1 ||
		string(p.BackendRefs[0].Name) != data.OTLPService {
		t.Errorf("%s: tracing provider %s to %+v, want OpenTelemetry to the Service %s", d, p.Type, p.BackendRefs, data.OTLPService)
	}
	// Envoy's span buffer flushed at the environment's exportDelay, one span at a time.
	flush := map[string]string{}
	if b := ep.Spec.Bootstrap; b != nil {
		for _, p := range b.JSONPatches {
			if p.Value != nil && p.Path != nil {
				flush[*p.Path] = string(p.Value.Raw)
			}
		}
	}
	const runtime = "/layered_runtime/layers/0/static_layer/tracing.opentelemetry."
	if flush[runtime+"flush_interval_ms"] != fmt.Sprint(data.ExportDelayMillis) || flush[runtime+"min_flush_spans"] != "1" {
		t.Errorf("%s: bootstrap patches %v, want flush_interval_ms %d and min_flush_spans 1", d, flush, data.ExportDelayMillis)
	}
	var sampler *egv1a1.OTelSampler
	if o := tr.Provider.OpenTelemetry; o != nil {
		sampler = o.Sampler
	}
	switch ep.Name {
	case data.Variants["sampling-zero"]:
		// A sampler makes Envoy Gateway render random_sampling 100, so the sampler alone
		// decides: new traces 0%, a caller's sampled flag honoured.
		if sampler == nil || sampler.Type != egv1a1.OTelSamplerTypeParentBasedAlwaysOff {
			t.Errorf("%s: sampler %+v, want ParentBasedAlwaysOff on the sampling-zero Gateway", d, sampler)
		}
	default:
		if sampler != nil || tr.SamplingRate == nil || *tr.SamplingRate != 100 {
			t.Errorf("%s: samplingRate %v and sampler %+v, want samplingRate 100 and no sampler", d, tr.SamplingRate, sampler)
		}
	}
}

// checkBackendTrafficPolicy checks the decorated route's policy: it names the span as the
// profile says, and sets no sampling fraction, so that on each Gateway its route samples as the
// Gateway's EnvoyProxy says (fixtures/envoy-gateway/suite/decorated.yaml.tmpl).
func checkBackendTrafficPolicy(t *testing.T, d document, btp *egv1a1.BackendTrafficPolicy, cfg *config.Config) {
	t.Helper()
	var tr *egv1a1.Tracing
	if btp.Spec.Telemetry != nil {
		tr = btp.Spec.Telemetry.Tracing
	}
	if tr == nil || tr.SpanName == nil || tr.SpanName.Client != cfg.Implementation.SpanNames.Decorated {
		t.Errorf("%s: spec.telemetry.tracing.spanName %+v, want client %q (spanNames.decorated)", d, tr, cfg.Implementation.SpanNames.Decorated)
		return
	}
	if tr.SamplingFraction != nil || tr.ClientSamplingFraction != nil || tr.OverallSamplingFraction != nil {
		t.Errorf("%s: sets a sampling fraction, which would apply to the decorated route on every Gateway, the sampling-zero one too", d)
	}
}

// kgatewayFields are the fields kgateway 2.4's API reference lists for the objects and the parts
// of them the fixtures write, by path (kind, then field names, "[]" for a list's elements): a key
// the reference does not list there is a misspelling. Copied from
// https://kgateway.dev/docs/envoy/latest/reference/api/ (content/docs/envoy/latest/reference/api.md
// in kgateway-dev/kgateway.dev, the 2.4.x docs, read at its main of 2026-08-20). kgateway's Go
// module is not served by the Go module proxy, so its own types cannot be used here.
var kgatewayFields = map[string][]string{
	"ListenerPolicy":      {"apiVersion", "kind", "metadata", "spec", "status"},
	"ListenerPolicy.spec": {"targetRefs", "targetSelectors", "default", "perPort"},
	"ListenerPolicy.spec.default": {
		"clientCertificateValidation",
		"proxyProtocol",
		"tcpKeepalive",
		"perConnectionBufferLimitBytes",
		"httpSettings",
		"transportSocketConnectTimeout",
	},
	"ListenerPolicy.spec.default.httpSettings": {
		"accessLog",
		"tracing",
		"localReplies",
		"upgradeConfig",
		"useRemoteAddress",
		"preserveExternalRequestId",
		"generateRequestId",
		"xffNumTrustedHops",
		"xffTrustedCIDRs",
		"skipXFFAppend",
		"serverHeaderTransformation",
		"serverName",
		"streamIdleTimeout",
		"idleTimeout",
		"maxRequestsPerConnection",
		"maxHeadersCount",
		"http2ProtocolOptions",
		"healthCheck",
		"preserveHttp1HeaderCase",
		"acceptHttp10",
		"defaultHostForHttp10",
		"earlyRequestHeaderModifier",
		"forwardClientCertDetails",
		"maxRequestHeadersKb",
		"uuidRequestIdConfig",
		"stripHostPortMode",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing": {
		"provider",
		"clientSampling",
		"randomSampling",
		"overallSampling",
		"verbose",
		"maxPathTagLength",
		"attributes",
		"spawnUpstreamSpan",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider":               {"openTelemetry"},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry": {"grpcService", "serviceName", "resourceDetectors", "sampler"},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry.grpcService": {
		"backendRef",
		"authority",
		"maxReceiveMessageLength",
		"skipEnvoyHeaders",
		"timeout",
		"initialMetadata",
		"retryPolicy",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry.resourceDetectors[]": {
		"environmentResourceDetector",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.provider.openTelemetry.resourceDetectors[].environmentResourceDetector": {"enable"},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[]": {
		"name",
		"literal",
		"environment",
		"requestHeader",
		"metadata",
	},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[].literal":       {"value"},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[].environment":   {"name", "defaultValue"},
	"ListenerPolicy.spec.default.httpSettings.tracing.attributes[].requestHeader": {"name", "defaultValue"},
	"GatewayParameters":      {"apiVersion", "kind", "metadata", "spec", "status"},
	"GatewayParameters.spec": {"kube", "selfManaged"},
	"GatewayParameters.spec.kube": {
		"deployment",
		"envoyContainer",
		"sdsContainer",
		"podTemplate",
		"service",
		"serviceAccount",
		"istio",
		"stats",
		"omitDefaultSecurityContext",
		"deploymentOverlay",
		"serviceOverlay",
		"serviceAccountOverlay",
		"podDisruptionBudget",
		"horizontalPodAutoscaler",
		"verticalPodAutoscaler",
	},
	"GatewayParameters.spec.kube.envoyContainer": {
		"bootstrap",
		"image",
		"securityContext",
		"resources",
		"extraArgs",
		"env",
		"extraVolumeMounts",
	},
}

// checkDocumentedFields fails for every key of the document, at a path fields lists, that fields
// does not list there.
func checkDocumentedFields(t *testing.T, d document, fields map[string][]string) {
	t.Helper()
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			allowed, known := fields[path]
			if !known {
				return
			}
			for k, child := range v {
				if !slices.Contains(allowed, k) {
					t.Errorf("%s: %s.%s is not a field kgateway's API reference lists there; allowed: %s", d, path, k, strings.Join(allowed, ", "))
					continue
				}
				walk(path+"."+k, child)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk(d.u.GetKind(), d.u.Object)
}

// strictAt decodes the value at path strictly into a typed object, and fails when there is none.
func strictAt(t *testing.T, d document, into any, path ...string) {
	t.Helper()
	v, found, err := unstructured.NestedFieldNoCopy(d.u.Object, path...)
	if !found || err != nil {
		t.Errorf("%s: %s is required", d, strings.Join(path, "."))
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, into); err != nil {
		t.Errorf("%s: %s does not decode strictly into %T: %v", d, strings.Join(path, "."), into, err)
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

// TestEnvoyGatewayTypesMatchProfile: the Envoy Gateway API types the fixtures decode into are
// those of the release the profile installs.
func TestEnvoyGatewayTypesMatchProfile(t *testing.T) {
	gomod, err := os.ReadFile("../../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/envoyproxy/gateway (v\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/envoyproxy/gateway")
	}
	impl := repoConfig(t, "kind", "envoy-gateway").Implementation
	if impl.Version != string(m[1]) {
		t.Errorf("implementations.envoy-gateway.version %s, but go.mod has github.com/envoyproxy/gateway %s", impl.Version, m[1])
	}
	for _, h := range impl.Cluster.Helm {
		if h.Version != string(m[1]) {
			t.Errorf("chart %s %s, but go.mod has github.com/envoyproxy/gateway %s", h.Chart, h.Version, m[1])
		}
	}
}

// TestNoSamplingSpecOnTheDecoratedRoute: on the sampling-zero Gateway the decorated route has a
// route-level tracing block of its own (Envoy Gateway renders one for its BackendTrafficPolicy,
// and kgateway could too), so the Sampling specs must not send to that route's paths: their
// verdict would then depend on the route's tracing, not on the Gateway's sampling.
func TestNoSamplingSpecOnTheDecoratedRoute(t *testing.T) {
	var paths []string // what the Sampling specs send to, from the fixture contract
	for _, r := range contract.Routes {
		if r.Feature == "Sampling" {
			paths = append(paths, r.Path)
		}
	}
	if len(paths) == 0 {
		t.Fatal("the fixture contract has no request of the Sampling feature: this test reads them")
	}
	for _, impl := range profiles {
		cfg := repoConfig(t, "kind", impl)
		data := cluster.NewFixtureData(cfg, "tracegate-test", "172.18.0.1:43171")
		for _, d := range renderAll(t, data, cfg.Implementation.Cluster.Fixtures...) {
			if d.u.GetKind() != "HTTPRoute" || d.u.GetName() != "tracegate-decorated" {
				continue
			}
			var r gwapiv1.HTTPRoute
			strict(t, d, &r)
			for _, rule := range r.Spec.Rules {
				for _, match := range rule.Matches {
					if match.Path == nil || match.Path.Value == nil {
						t.Fatalf("%s: a rule matches every path", d)
					}
					for _, p := range paths {
						if matches(*match.Path, p) {
							t.Errorf("%s: Sampling sends to %s, which the decorated route matches", impl, p)
						}
					}
				}
			}
		}
	}
}

// matches reports whether an HTTPRoute path match (Exact or PathPrefix) matches path.
func matches(m gwapiv1.HTTPPathMatch, path string) bool {
	v := *m.Value
	if m.Type != nil && *m.Type == gwapiv1.PathMatchExact {
		return path == v
	}
	return path == v || strings.HasPrefix(path, strings.TrimSuffix(v, "/")+"/")
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
