package kindconfig_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

func TestEnvironment(t *testing.T) {
	path := configtest.ClusterDir(t)
	c := configtest.MustLoadCluster(t, path, "E2E_KUBERNETES_VERSION", "1.33", "E2E_KEEP", "1")
	dir := filepath.Dir(path)
	k := kindconfig.Settings(c)
	if k == nil || !c.Cluster.Keep {
		t.Fatalf("Cluster = %+v", c.Cluster)
	}
	want := kindconfig.Cluster{
		Name: "tracegate", KubernetesVersion: "1.33", Config: filepath.Join(dir, "kind.yaml.tmpl"),
		NodeImage: "kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040",
		NodeImages: map[string]string{
			"1.33": "kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040",
			"1.34": "kindest/node:v1.34.3@sha256:08497ee19eace7b4b5348db5c6a1591d7752b164530a36f855cb0f2bdcbadd48",
		},
		LoadImages: []string{kindconfig.EchoImage},
	}
	if !reflect.DeepEqual(*k, want) {
		t.Errorf("Kind = %+v\nwant   %+v", *k, want)
	}
	sum := c.Summary()
	for _, w := range []string{
		"kind cluster: tracegate, Kubernetes 1.33 (kindest/node:v1.33.7@sha256:",
		"keep true, recreateOnMismatch false",
		"overrides: E2E_KUBERNETES_VERSION=1.33, E2E_KEEP=1",
	} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q:\n%s", w, sum)
		}
	}
}

func TestClusterErrors(t *testing.T) {
	cases := map[string]struct {
		edits []string
		env   []string
		want  string
	}{
		"unknown key": {edits: []string{`      config: kind.yaml.tmpl`, `      config: kind.yaml.tmpl
      image: kindest/node:v1.34.3`},
			want: `:15: environments.kind.cluster.image: unknown field; allowed: name, kubernetesVersion, nodeImages, config, keep, ` +
				`recreateOnMismatch`},
		"image not pinned by digest": {edits: []string{
			`"1.33": kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040`,
			`"1.33": kindest/node:v1.33.7`,
		},
			want: `:13: environments.kind.cluster.nodeImages."1.33": "kindest/node:v1.33.7" is not a node image pinned by digest`},
		"image of another version": {edits: []string{`"1.33": kindest/node:v1.33.7`, `"1.33": kindest/node:v1.32.7`},
			want: `environments.kind.cluster.nodeImages."1.33": ` +
				`image "kindest/node:v1.32.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040" is Kubernetes 1.32, not 1.33`},
		"version without image": {edits: []string{`kubernetesVersion: "1.34"`, `kubernetesVersion: "1.35"`},
			want: `:10: environments.kind.cluster.kubernetesVersion: "1.35" has no node image; allowed: 1.33, 1.34 (add it to nodeImages)`},
		"version override without image": {env: []string{"E2E_KUBERNETES_VERSION", "1.30"},
			want: `E2E_KUBERNETES_VERSION: "1.30" has no node image in environments.kind.cluster.nodeImages of `},
		"missing kind config": {edits: []string{`config: kind.yaml.tmpl`, `config: nope.tmpl`},
			want: `environments.kind.cluster.config: ` + "DIR" + `/nope.tmpl does not exist`},
		"kind without cluster": {edits: []string{"    cluster:\n      kubernetesVersion", "    clustr:\n      kubernetesVersion"},
			want: `environments.kind.cluster: required for type kind`},
		"kubeconfig for kind": {edits: []string{"    type: kind\n", "    type: kind\n    kubeconfig: /tmp/x\n"},
			want: `environments.kind.kubeconfig: not allowed for type kind`},
		// The file's own pair: the error is on the line of the version.
		"version outside the window": {
			edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.33", "1.35"]`},
			want: `:10: environments.kind.cluster.kubernetesVersion: Kubernetes 1.34 is outside the support window of implementation eg: ` +
				`Kubernetes 1.33, 1.35 (source: Envoy Gateway's compatibility matrix), as implementations.eg.cluster.kubernetesVersions in ` +
				`DIR/ginkgo.yaml says; pick one of the window that has a node image: 1.33 (E2E_KUBERNETES_VERSION, ` +
				`or environments.kind.cluster.kubernetesVersion)`,
		},
		"version override outside the window": {
			edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.34"]`},
			env:   []string{"E2E_KUBERNETES_VERSION", "1.33"},
			want: `E2E_KUBERNETES_VERSION: Kubernetes 1.33 is outside the support window of implementation eg: Kubernetes 1.34 (source: ` +
				`Envoy Gateway's compatibility matrix)`,
		},
		"window without a node image": {edits: []string{`kubernetesVersions: ["1.33", "1.34"]`, `kubernetesVersions: ["1.36"]`},
			want: `no version of the window has a node image in environments.kind.cluster.nodeImages: ` +
				`pin one from the release notes of the kind in tools/kind`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { configtest.WantError(t, tc.edits, tc.env, tc.want) })
	}
}

// TestClusterName: the kind cluster name is a DNS-1123 label of at most 50 characters.
func TestClusterName(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	cases := map[string]struct {
		edits []string
		want  string // "" when the file loads
	}{
		"kind name of 50": {edits: []string{"      config: kind.yaml.tmpl", "      config: kind.yaml.tmpl\n      name: " + a(50)}},
		"kind name of 51": {edits: []string{"      config: kind.yaml.tmpl", "      config: kind.yaml.tmpl\n      name: " + a(51)},
			want: `environments.kind.cluster.name: "` + a(51) +
				`" is not allowed; use lowercase letters, digits and '-', such as tracegate; must be no more than 50 characters`},
		"kind name in capitals": {edits: []string{"      config: kind.yaml.tmpl", "      config: kind.yaml.tmpl\n      name: Tracegate"},
			want: `environments.kind.cluster.name: "Tracegate" is not allowed; use lowercase letters, digits and '-', such as tracegate`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := configtest.LoadCluster(configtest.ClusterDir(t, tc.edits...))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("want no error, got:\n%v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error lacks %q:\n%v", tc.want, err)
			}
		})
	}
}
