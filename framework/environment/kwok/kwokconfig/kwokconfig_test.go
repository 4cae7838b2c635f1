package kwokconfig_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
	"github.com/tracegate/tracegate/framework/environment/kwok/kwokconfig"
)

func TestEnvironment(t *testing.T) {
	path := configtest.ClusterDir(t)
	c := configtest.MustLoadCluster(t, path, "E2E_ENV", "kwok", "E2E_KEEP", "1")
	cl, k := c.Cluster, kwokconfig.Settings(c)
	if k == nil || kindconfig.Settings(c) != nil {
		t.Fatalf("Cluster = %+v", cl)
	}
	want := kwokconfig.Cluster{Name: "tg", Config: filepath.Join(filepath.Dir(path), "kwok.yaml.tmpl")}
	if *k != want || !cl.Keep || cl.Receiver.Bind != config.ReceiverAuto {
		t.Errorf("Kwok = %+v, Keep %t, Receiver %+v\nwant   %+v", *k, cl.Keep, cl.Receiver, want)
	}
	if !strings.Contains(c.Summary(), "kwok cluster: tg, config ") {
		t.Errorf("summary:\n%s", c.Summary())
	}
}

func TestClusterErrors(t *testing.T) {
	cases := map[string]struct {
		edits []string
		env   []string
		want  string
	}{
		"kwok without cluster": {edits: []string{"    cluster: {name: tg, config: kwok.yaml.tmpl}\n", ""},
			want: `environments.kwok.cluster: required for type kwok`},
		"kwok without config": {edits: []string{"{name: tg, config: kwok.yaml.tmpl}", "{name: tg}"},
			want: `environments.kwok.cluster.config: required for type kwok`},
		"kind keys on kwok": {
			edits: []string{"{name: tg, config: kwok.yaml.tmpl}", `{name: tg, config: kwok.yaml.tmpl, kubernetesVersion: "1.34"}`},
			want:  `environments.kwok.cluster.kubernetesVersion: not allowed for type kwok`,
		},
		"kwok receiver bind": {
			edits: []string{"{name: tg, config: kwok.yaml.tmpl}", "{name: tg, config: kwok.yaml.tmpl}\n    receiver: {bind: 127.0.0.1}"},
			want:  `environments.kwok.receiver.bind: "127.0.0.1" is not allowed for type kwok; allowed: auto`,
		},
		"a process in a kwok profile": {edits: []string{"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n",
			"      kubernetesVersionsSource: Envoy Gateway's compatibility matrix\n      kwok: {envoy: {version: 1.39.1, requirements: " +
				"values.yaml}, controller: {command: [x]}}\n"},
			env: []string{"E2E_ENV", "kwok"},
			want: `implementations.eg.cluster.kwok.controller: not allowed: how the implementation's controller and proxies run is its Go ` +
				`runner's (framework/environment/kwok/<runner>.go, named by runner)`},
		"kubeconfig for kwok": {edits: []string{"    type: kwok\n", "    type: kwok\n    kubeconfig: /tmp/x\n"},
			want: `environments.kwok.kubeconfig: not allowed for type kwok`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { configtest.WantError(t, tc.edits, tc.env, tc.want) })
	}
}
