// Package cluster is an implementer's cluster test, a test binary of its own (Ginkgo runs one
// suite a process): Envoy Gateway translating the suite's Gateway API objects on a kwok cluster
// of this machine, through tracegate's public door only.
package cluster

import (
	"cmp"
	"os"
	"testing"

	"github.com/tracegate/tracegate/conformance"
	_ "github.com/tracegate/tracegate/framework/environment/kwok" // the kwok environment type
)

// TestTracingConformanceOnKwok runs every tracing feature against Envoy Gateway on a kwok
// cluster: a real API server, the controller and its Envoys as local processes, the suite's
// fixtures from the door's embedded files. It needs root (network namespaces) and tracegate's
// tools (E2E_TOOLS_DIR, a tracegate checkout; make e2e-implementer gives this repository).
// Without root it is skipped, saying why, except under CI=true, where nothing may be skipped.
// IMPLEMENTER_REPORTS names the report directory (reports/kwok here by default).
func TestTracingConformanceOnKwok(t *testing.T) {
	if os.Geteuid() != 0 {
		why := "the kwok environment needs root: it runs Envoy Gateway and its Envoys in a network namespace of their own"
		if os.Getenv("CI") == "true" {
			t.Fatal(why + " (CI=true: nothing may be skipped)")
		}
		t.Skip(why)
	}
	reports := cmp.Or(os.Getenv("IMPLEMENTER_REPORTS"), "reports/kwok")
	c := conformance.Run(t, conformance.WithEnvironment("kwok"), conformance.WithReportDir(reports))
	if c == nil {
		t.Fatalf("no conformance report in %s", reports)
	}
	if c.Implementation.Name != "envoy-gateway" || c.Environment != "kwok" || c.Run.Outcome != "passed" {
		t.Errorf("report: implementation %s in environment %s, run %s (%s)", c.Implementation.Name, c.Environment, c.Run.Outcome, c.Summary)
	}
}
