package existing_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/existing"
)

// TestPlan: an existing cluster gets nothing installed and nothing deleted but the run's
// namespace.
func TestPlan(t *testing.T) {
	cfg, err := config.LoadFile("../../../ginkgo.yaml", func(k string) (string, bool) { return map[string]string{"E2E_ENV": "existing"}[k], k == "E2E_ENV" }, tracing.Names())
	if err != nil {
		t.Fatal(err)
	}
	plan := existing.New(cfg, nil).Plan()
	want := []string{"cluster", "crds", "helm", "receiver", "fixtures", "port-forward", "teardown"}
	if got := plan.Phases(); !slices.Equal(got, want) {
		t.Errorf("phases %v, want %v\n%s", got, want, plan)
	}
	text := plan.String()
	for _, bad := range []string{"helm upgrade", "helm template", "delete kind", "create the Gateway API CRDs"} {
		if strings.Contains(text, bad) {
			t.Errorf("the plan of an existing cluster has %q:\n%s", bad, text)
		}
	}
	if !strings.Contains(text, "check that GatewayClass tracegate-eg is Accepted") {
		t.Errorf("plan:\n%s", text)
	}
}

func TestRouteAddress(t *testing.T) {
	ip, err := existing.RouteAddress(context.Background(), "127.0.0.1")
	if err != nil || !ip.IsLoopback() {
		t.Errorf("RouteAddress(127.0.0.1) = %v, %v; want a loopback address", ip, err)
	}
}
