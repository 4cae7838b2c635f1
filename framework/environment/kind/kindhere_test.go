package kind_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	egv1a1 "github.com/envoyproxy/gateway/api/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"

	"github.com/tracegate/tracegate/framework/environment/cluster"
	"github.com/tracegate/tracegate/framework/environment/kind"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

// TestRenderedKindHereConfig: the cluster config of make e2e-kind-here decodes strictly into
// kind's own type, uses the node image built here, replaces kindnetd (the node image carries a
// CNI config) and keeps every network of the cluster in 198.18.0.0/15.
func TestRenderedKindHereConfig(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind", "E2E_KIND_HERE": "1"})
	k := kindconfig.Settings(cfg)
	if !k.LocalBuild || !strings.HasPrefix(k.NodeImage, "tracegate.local/kind-node:v"+k.KubernetesVersion+".") {
		t.Fatalf("here cluster = %+v", *k)
	}
	data, err := kind.RenderConfig(k)
	if err != nil {
		t.Fatal(err)
	}
	var c v1alpha4.Cluster
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if len(c.Nodes) != 1 || c.Nodes[0].Image != k.NodeImage {
		t.Errorf("nodes %+v, want one of image %s", c.Nodes, k.NodeImage)
	}
	if !c.Networking.DisableDefaultCNI {
		t.Error("kindnetd is not built here: the default CNI must be disabled")
	}
	for name, cidr := range map[string]string{"podSubnet": c.Networking.PodSubnet, "serviceSubnet": c.Networking.ServiceSubnet} {
		if !strings.HasPrefix(cidr, "198.18.") && !strings.HasPrefix(cidr, "198.19.") {
			t.Errorf("%s %q is outside 198.18.0.0/15", name, cidr)
		}
	}
	patches := strings.Join(c.KubeadmConfigPatches, "\n")
	for _, want := range []string{"imageRepository: tracegate.local", "failCgroupV1: false", "imagePullPolicy: Never"} {
		if !strings.Contains(patches, want) {
			t.Errorf("kubeadm patches lack %q:\n%s", want, patches)
		}
	}
}

// TestKindHereProbes: make e2e-kind-here's overlay gives every EnvoyProxy a Deployment patch,
// applied here as Envoy Gateway applies it (a strategic merge into the Deployment it renders),
// that probes Envoy and its shutdown manager every second with the same time allowed in all.
func TestKindHereProbes(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kind", "E2E_KIND_HERE": "1"})
	overlay := kind.New(cfg, nil).Source.(cluster.Overlayer).Overlay(cfg)
	objs, err := cluster.FixtureObjects(cfg, cluster.NewFixtureData(cfg, "tracegate-test", "198.19.1.1:43171"), overlay)
	if err != nil {
		t.Fatal(err)
	}
	proxies := 0
	for _, o := range objs {
		if o.GetKind() != "EnvoyProxy" {
			continue
		}
		proxies++
		data, _ := json.Marshal(o.Object)
		var ep egv1a1.EnvoyProxy
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ep); err != nil {
			t.Fatalf("EnvoyProxy %s: %v", o.GetName(), err)
		}
		patch := ep.Spec.Provider.Kubernetes.EnvoyDeployment.Patch
		if patch == nil || patch.Type == nil || *patch.Type != egv1a1.StrategicMerge {
			t.Fatalf("EnvoyProxy %s: patch %+v, want a strategic merge", o.GetName(), patch)
		}
		containers := []corev1.Container{
			{
				Name:           "envoy",
				StartupProbe:   &corev1.Probe{PeriodSeconds: 10, FailureThreshold: 30, TimeoutSeconds: 1},
				ReadinessProbe: &corev1.Probe{PeriodSeconds: 5, FailureThreshold: 1},
			},
			{
				Name:           "shutdown-manager",
				StartupProbe:   &corev1.Probe{PeriodSeconds: 10, FailureThreshold: 30},
				ReadinessProbe: &corev1.Probe{PeriodSeconds: 10, FailureThreshold: 3},
			},
		}
		base := appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: containers}}}}
		orig, _ := json.Marshal(base)
		merged, err := strategicpatch.StrategicMergePatch(orig, patch.Value.Raw, appsv1.Deployment{})
		if err != nil {
			t.Fatalf("EnvoyProxy %s: the patch does not apply: %v", o.GetName(), err)
		}
		var got appsv1.Deployment
		if err := json.Unmarshal(merged, &got); err != nil {
			t.Fatal(err)
		}
		for _, c := range got.Spec.Template.Spec.Containers {
			s, r := c.StartupProbe, c.ReadinessProbe
			if s.PeriodSeconds != 1 || s.FailureThreshold != 300 || r.PeriodSeconds != 1 || r.FailureThreshold != 3 {
				t.Errorf("EnvoyProxy %s, container %s: startup %d s x %d, readiness %d s x %d; want 1 s x 300 and 1 s x 3",
					o.GetName(), c.Name, s.PeriodSeconds, s.FailureThreshold, r.PeriodSeconds, r.FailureThreshold)
			}
		}
		if len(got.Spec.Template.Spec.Containers) != 2 || got.Spec.Template.Spec.Containers[0].StartupProbe.TimeoutSeconds != 1 {
			t.Errorf("EnvoyProxy %s: the patch changed more than the periods and thresholds: %+v", o.GetName(), got.Spec.Template.Spec.Containers)
		}
	}
	if proxies < 2 {
		t.Errorf("%d EnvoyProxies, want one per Gateway (the main one and its variants)", proxies)
	}
}
