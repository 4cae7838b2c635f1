package kindconfig_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

// localBuildEdits add a localBuild section to configtest.ClusterFile's kind environment and eg
// profile.
var localBuildEdits = []string{
	"      config: kind.yaml.tmpl\n",
	"      config: kind.yaml.tmpl\n" +
		"      localBuild: {nodeImage: tracegate.local/kind-node:v1.34.9, kubernetesVersion: \"1.34\", config: kind.yaml.tmpl}\n",
	"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n",
	"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n" +
		"      localBuild: {images: [tracegate.local/eg:v1], charts: {eg: {chart: crds, values: values.yaml}}}\n",
}

func TestLocalBuild(t *testing.T) {
	path := configtest.ClusterDir(t, localBuildEdits...)
	dir := filepath.Dir(path)

	c := configtest.MustLoadCluster(t, path)
	if k := kindconfig.Settings(c); k.LocalBuild ||
		k.NodeImage != "kindest/node:v1.34.3@sha256:08497ee19eace7b4b5348db5c6a1591d7752b164530a36f855cb0f2bdcbadd48" ||
		c.Implementation.Cluster.Helm[0].Chart != "oci://docker.io/envoyproxy/gateway-helm" {
		t.Errorf("without E2E_KIND_HERE the localBuild section apply: %+v, helm %+v", *k, c.Implementation.Cluster.Helm[0])
	}

	c = configtest.MustLoadCluster(t, path, "E2E_KIND_HERE", "1")
	k, h := kindconfig.Settings(c), c.Implementation.Cluster.Helm[0]
	if !k.LocalBuild || k.NodeImage != "tracegate.local/kind-node:v1.34.9" || k.KubernetesVersion != "1.34" {
		t.Errorf("Kind = %+v", *k)
	}
	if want := []string{kindconfig.EchoImage, "tracegate.local/eg:v1"}; !slices.Equal(k.LoadImages, want) {
		t.Errorf("LoadImages = %v, want %v", k.LoadImages, want)
	}
	if h.Chart != filepath.Join(dir, "crds") || !slices.Equal(h.Args, []string{"--values", filepath.Join(dir, "values.yaml")}) ||
		h.Values != filepath.Join(dir, "values.yaml") {
		t.Errorf("helm release = %+v: want the local-build chart and its values after the profile's", h)
	}
}

func TestLocalBuildErrors(t *testing.T) {
	cases := []struct {
		name  string
		edits []string
		env   []string
		want  string
	}{
		{"no localBuild section in the environment", localBuildEdits[2:], []string{"E2E_KIND_HERE", "1"},
			`E2E_KIND_HERE: environment "kind" has no cluster.localBuild section`},
		{"no localBuild section in the profile", localBuildEdits[:2], []string{"E2E_KIND_HERE", "true"},
			`E2E_KIND_HERE: implementation "eg" has no cluster.localBuild section`},
		{"not a boolean", localBuildEdits, []string{"E2E_KIND_HERE", "yes"},
			`E2E_KIND_HERE: "yes" is not allowed; allowed: 1, true, 0, false`},
		{"a version the locally built image is not", localBuildEdits, []string{"E2E_KIND_HERE", "1", "E2E_KUBERNETES_VERSION", "1.33"},
			"E2E_KUBERNETES_VERSION: 1.33, but the node image built here"},
		{"a chart of no release", append(slices.Clone(localBuildEdits[:3]), strings.Replace(localBuildEdits[3], "{eg:", "{eg-crds:", 1)), nil,
			`implementations.eg.cluster.localBuild.charts.eg-crds: no helm release "eg-crds" in this profile; allowed: eg`},
		{"the old key of the environment", []string{localBuildEdits[0], strings.Replace(localBuildEdits[1], "localBuild:", "here:", 1)}, nil,
			"environments.kind.cluster.here: renamed: use localBuild"},
		{"the old key of the profile", []string{localBuildEdits[2], strings.Replace(localBuildEdits[3], "localBuild:", "here:", 1)}, nil,
			"implementations.eg.cluster.here: renamed: use localBuild"},
		{
			"no node image",
			[]string{localBuildEdits[0], strings.Replace(localBuildEdits[1], "nodeImage: tracegate.local/kind-node:v1.34.9, ", "", 1)},
			nil,
			"environments.kind.cluster.localBuild.nodeImage: required",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := configtest.LoadCluster(configtest.ClusterDir(t, tc.edits...), tc.env...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestLocalBuildInstall: a local-build run applies the profile's localBuild.install and
// gatewayAPI instead of its cluster.install and gatewayAPI; other runs keep them.
func TestLocalBuildInstall(t *testing.T) {
	edits := slices.Clone(localBuildEdits)
	edits[3] = strings.Replace(edits[3], "values: values.yaml}}}", "values: values.yaml}}, install: here-install, gatewayAPI: here-crds}", 1)
	path := configtest.ClusterDir(t, edits...)
	before := configtest.MustLoadCluster(t, path).Implementation.Cluster.Install
	c := configtest.MustLoadCluster(t, path, "E2E_KIND_HERE", "1")
	if got, want := c.Implementation.Cluster.Install, filepath.Join(filepath.Dir(path), "here-install"); got != want || before == want {
		t.Errorf("install: expected %s with E2E_KIND_HERE (and not without, got %s), got %s", want, before, got)
	}
	if got, want := c.Implementation.Cluster.GatewayAPI, filepath.Join(filepath.Dir(path), "here-crds"); got != want {
		t.Errorf("gatewayAPI: expected %s with E2E_KIND_HERE, got %s", want, got)
	}
}

// TestOutsideWindow: E2E_OUTSIDE_WINDOW=1 runs a version outside the implementation's window, and
// the run lists it with its overrides; without it the same version is refused.
func TestOutsideWindow(t *testing.T) {
	edit := []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33"]`}
	configtest.WantError(t, edit, nil, "or set E2E_OUTSIDE_WINDOW=1 to run it anyway")
	c := configtest.MustLoadCluster(t, configtest.ClusterDir(t, edit...), "E2E_OUTSIDE_WINDOW", "1")
	if k := kindconfig.Settings(c); k.KubernetesVersion != "1.34" || !strings.Contains(c.Summary(), "E2E_OUTSIDE_WINDOW=1") {
		t.Errorf("E2E_OUTSIDE_WINDOW=1: expected Kubernetes 1.34 and the override listed, got %s and\n%s", k.KubernetesVersion, c.Summary())
	}
}
