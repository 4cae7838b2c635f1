package cluster

import (
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	return configtest.Repo(t, map[string]string{"E2E_ENV": "kind"})
}

func testRelease(templateOnly bool) config.HelmRelease {
	return config.HelmRelease{
		Release:      "eg",
		Chart:        "oci://x/chart",
		Version:      "v1.2.3",
		Namespace:    "ns",
		Args:         []string{"--set", "a=b"},
		TemplateOnly: templateOnly,
	}
}
