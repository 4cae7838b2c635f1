package tracing_test

import (
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/harness"
)

// TestEveryDeclaredDeviationIsJudged: every deviation the repository's profiles and deviation
// sets declare names a spec or row that judges its failure against it.
func TestEveryDeclaredDeviationIsJudged(t *testing.T) {
	for _, impl := range []string{"caddy", "envoy", "envoy-gateway", "kgateway", "contour"} {
		env := map[string]string{"E2E_IMPLEMENTATION": impl}
		switch impl {
		case "envoy-gateway", "kgateway":
			env["E2E_ENV"] = "kind"
		case "contour":
			env["E2E_ENV"] = "kwok"
		case "caddy":
			env["E2E_ENV"] = "local"
		}
		cfg := configtest.Repo(t, env)
		if err := harness.CheckDeviations(cfg, tracing.Catalog()); err != nil {
			t.Errorf("%s: %v", impl, err)
		}
	}
}
