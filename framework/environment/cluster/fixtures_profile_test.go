package cluster_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

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
