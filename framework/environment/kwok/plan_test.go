package kwok

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/environment/cluster"
)

func repoConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	return configtest.Repo(t, env)
}

// TestPlan: a kwok run takes the shared cluster flow, with Envoy Gateway installed by the
// environment instead of Helm, and no port-forward.
func TestPlan(t *testing.T) {
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	plan := New(cfg, nil).Plan()
	want := []string{"preflight", "tools", "cluster", "crds", "helm", "install", "receiver", "fixtures", "port-forward", "teardown"}
	if got := plan.Phases(); !slices.Equal(got, want) {
		t.Errorf("phases %v\nwant   %v\nplan:\n%s", got, want, plan)
	}
	text := plan.String()
	for _, w := range []string{
		"scripts/build-tools.sh",
		"kwokctl's binary runtime",
		"fixtures/gateway-api/v1.6.1",
		"certgen",
		"fixtures/kwok/overlay/envoy-gateway.yaml.tmpl",
		"wait listenerReady",
		"dials the Gateways' listeners at 198.18.0.1",
		"delete kwok cluster tracegate",
		"EnvoyProxy Accepted",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("plan lacks %q:\n%s", w, text)
		}
	}
	for _, no := range []string{"helm upgrade", "helm template", "port-forwards 127.0.0.1", "admin port"} {
		if strings.Contains(text, no) {
			t.Errorf("plan has %q, which kwok does not do:\n%s", no, text)
		}
	}
}

// TestPlanOfAControllerPerGateway: the contour profile starts a controller and a proxy for each
// Gateway in one step after the fixtures are created, and has no setup step.
func TestPlanOfAControllerPerGateway(t *testing.T) {
	plan := New(repoConfig(t, map[string]string{"E2E_ENV": "kwok", "E2E_IMPLEMENTATION": "contour"}), nil).Plan()
	var perGateway []string
	for _, step := range plan {
		if strings.HasPrefix(step.What, "for each Gateway") {
			perGateway = append(perGateway, step.Phase+" "+step.What)
		}
		if strings.Contains(step.What, "setup") {
			t.Errorf("a setup step for a profile without one: %s", step.What)
		}
	}
	if len(perGateway) != 1 ||
		!strings.HasPrefix(perGateway[0], "fixtures ") ||
		!strings.Contains(perGateway[0], "contour serve") ||
		!strings.Contains(perGateway[0], "then bootstrap") {
		t.Errorf("per-Gateway steps %q; want one fixtures step starting contour serve, then its proxy:\n%s", perGateway, plan)
	}
}

// TestEveryKwokProfileHasARunner: each profile of the repository with a kwok section names a
// registered runner, and a profile naming none is refused with the runners there are.
func TestEveryKwokProfileHasARunner(t *testing.T) {
	for _, impl := range []string{"envoy-gateway", "contour"} {
		cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok", "E2E_IMPLEMENTATION": impl})
		if _, err := runnerOf(cfg); err != nil {
			t.Errorf("%s: %v", impl, err)
		}
	}
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	profile(cfg).Runner = "nope"
	if _, err := runnerOf(cfg); err == nil || !strings.Contains(err.Error(), `"nope" has no runner; allowed: contour, envoy-gateway`) {
		t.Errorf("an unknown runner gave %v", err)
	}
}

// fakeRunner is a Runner a test registers, as a third implementation's file would.
type fakeRunner struct{}

func (fakeRunner) Describe(*config.Config) Description {
	return Description{Setup: "fake setup", Controller: "start fake controller", Gateway: "start fake proxy"}
}
func (fakeRunner) Setup(context.Context, *Host) error                 { return nil }
func (fakeRunner) StartController(context.Context, *Host) error       { return nil }
func (fakeRunner) StartGateway(context.Context, *Host, Gateway) error { return nil }

// TestARunnerPlacesItsSteps: what a registered runner says it does is in the plan where it runs:
// its setup and controller where the Helm charts would be, what serves each Gateway once the
// fixtures exist and before their status is waited on.
func TestARunnerPlacesItsSteps(t *testing.T) {
	if _, ok := runners["fake-for-test"]; !ok { // once, also under -count
		Register("fake-for-test", fakeRunner{})
	}
	cfg := repoConfig(t, map[string]string{"E2E_ENV": "kwok"})
	profile(cfg).Runner = "fake-for-test"
	var got []string
	for _, step := range New(cfg, nil).Plan() {
		if step.Phase != cluster.PhaseCluster && strings.Contains(step.What, "fake ") || strings.HasPrefix(step.What, "wait gatewayProgrammed") {
			got = append(got, step.Phase+": "+step.What)
		}
	}
	want := []string{
		"helm: create namespace envoy-gateway-system; fake setup",
		"helm: start fake controller",
		"fixtures: for each Gateway, start fake proxy",
	}
	if len(got) != 4 || !slices.Equal(got[:3], want) || !strings.Contains(got[3], "wait gatewayProgrammed") {
		t.Errorf("runner steps %q\nwant %q, then the wait for Programmed", got, want)
	}
}
