package cluster

import (
	"testing"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.LoadFile("../../../ginkgo.yaml", func(k string) (string, bool) {
		v, ok := map[string]string{"E2E_ENV": "kind"}[k]
		return v, ok
	}, tracing.Names())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testRelease(templateOnly bool) config.HelmRelease {
	return config.HelmRelease{Release: "eg", Chart: "oci://x/chart", Version: "v1.2.3", Namespace: "ns", Args: []string{"--set", "a=b"}, TemplateOnly: templateOnly}
}
