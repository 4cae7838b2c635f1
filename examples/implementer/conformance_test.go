// Package implementer stands for an implementation's own repository: a profile (my-envoy.yaml),
// its gateway's config template, and this test, which runs tracegate's tracing conformance suite
// through its public door, package conformance, and nothing else of tracegate's.
package implementer

import (
	"cmp"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracegate/tracegate/conformance"
)

// TestTracingConformance runs every tracing feature against my-envoy and checks the report it
// wrote where it was told to. IMPLEMENTER_REPORTS names the report directory (make
// e2e-implementer: reports/implementer of the repository); by default, reports/ here.
func TestTracingConformance(t *testing.T) {
	reports := cmp.Or(os.Getenv("IMPLEMENTER_REPORTS"), "reports")
	c := conformance.Run(t, conformance.WithProfileFile("my-envoy.yaml"), conformance.WithReportDir(reports))
	if c == nil {
		t.Fatalf("no conformance report in %s", reports)
	}
	if c.Implementation.Name != "my-envoy" || c.Environment != "envoy" || c.Run.Outcome != "passed" {
		t.Errorf("report: implementation %s in environment %s, run %s (%s)", c.Implementation.Name, c.Environment, c.Run.Outcome, c.Summary)
	}
	for _, name := range []string{"conformance.yaml", "conformance.md", conformance.JUnitName} {
		if _, err := os.Stat(filepath.Join(reports, name)); err != nil {
			t.Errorf("the report directory lacks %s: %v", name, err)
		}
	}
}
