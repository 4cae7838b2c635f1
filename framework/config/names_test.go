package config_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
)

// TestNames checks the Kubernetes names of cluster environments and profiles: DNS-1123 labels
// (validation.IsDNS1123Label, at most 63 characters), the namespace prefix at most 40
// characters (the kind cluster name: kindconfig's TestClusterName).
func TestNames(t *testing.T) {
	const (
		kind = "    type: kind\n"
		helm = "{release: eg, chart: oci://docker.io/envoyproxy/gateway-helm, version: v1.9.1, namespace: envoy-gateway-system"
	)
	a := func(n int) string { return strings.Repeat("a", n) }
	cases := map[string]struct {
		edits []string
		want  string // "" when the file loads
	}{
		"namespacePrefix of 40": {edits: []string{kind, kind + "    namespacePrefix: " + a(40) + "\n"}},
		"namespacePrefix of 41": {edits: []string{kind, kind + "    namespacePrefix: " + a(41) + "\n"},
			want: `environments.kind.namespacePrefix: "` + a(41) +
				`" is not allowed; use lowercase letters, digits and '-', at most 40 characters, such as tracegate`},
		"namespacePrefix ending in -": {edits: []string{kind, kind + "    namespacePrefix: tracegate-\n"},
			want: `environments.kind.namespacePrefix: "tracegate-" is not allowed; use lowercase letters, digits and '-', at most 40 characters`},
		"helm release of 63": {edits: []string{"{release: eg,", "{release: " + a(63) + ","}},
		"helm release of 64": {edits: []string{"{release: eg,", "{release: " + a(64) + ","},
			want: `implementations.eg.cluster.helm[0].release: "` + a(64) +
				`" is not allowed; use lowercase letters, digits and '-'; must be no more than 63 characters`},
		"helm namespace with a dot": {edits: []string{helm, strings.Replace(helm, "envoy-gateway-system", "envoy.system", 1)},
			want: `implementations.eg.cluster.helm[0].namespace: "envoy.system" is not allowed; use lowercase letters, digits and '-'`},
		"gateway of 64": {edits: []string{"      fixtures: [suite]", "      fixtures: [suite]\n      gateway: " + a(64)},
			want: `implementations.eg.cluster.gateway: "` + a(64) +
				`" is not allowed; use the name of the fixtures' main Gateway; must be no more than 63 characters`},
		"variant gateway with _": {edits: []string{"sampling-zero: tracegate-sampling-zero", "sampling-zero: tracegate_sampling_zero"},
			want: `implementations.eg.cluster.variants.sampling-zero: "tracegate_sampling_zero" is not allowed; ` +
				`use the name of a Gateway in the fixtures`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := config.LoadFile(configtest.ClusterDir(t, tc.edits...), nil, config.TestFeatures)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("want no error, got:\n%v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error lacks %q:\n%v", tc.want, err)
			}
		})
	}
}
