// Package implementer stands for an implementation's own repository: a profile (my-envoy.yaml),
// its gateway's config template, and this test, which runs tracegate's tracing conformance suite
// through its public door, package conformance, and nothing else of tracegate's.
package implementer

import (
	"cmp"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/conformance"
)

// want is the result my-envoy has for each feature it lists: Envoy 1.40.0 passes most, with
// the deviations the profile's deviation sets declare in two tables, and records every semantic
// convention attribute under its older name (attributeNaming envoy), a declared deviation in
// every row.
var want = map[string]string{
	"SpanName": "success", "Propagation": "success", "ErrorStatus": "success", "RequestAttributes": "success",
	"UpstreamSpan": "success", "CustomAttributes": "success", "ResourceAttributes": "success", "Sampling": "success",
	"TraceState": "success", "TraceContext": "success-with-deviations", "StatusMatrix": "success-with-deviations",
	"SemanticConventions": "deviates",
}

// skipped is a row the test skips by its stable ID, as an implementer skips what they know they
// cannot run yet: it is reported skipped, with that reason, never passed.
const skipped = "tc-two-traceparents-invalid"

// TestTracingConformance runs every tracing feature against my-envoy, but the row it skips, and
// checks the report it wrote where it was told to: how the run ended, each feature's result, the
// skipped row and the run's verdict. IMPLEMENTER_REPORTS names the report directory (make
// e2e-implementer: reports/implementer of the repository); by default, reports/ here.
func TestTracingConformance(t *testing.T) {
	reports := cmp.Or(os.Getenv("IMPLEMENTER_REPORTS"), "reports")
	c := conformance.Run(t, conformance.WithProfileFile("my-envoy.yaml"), conformance.WithReportDir(reports), conformance.WithSkip(skipped))
	if c == nil {
		t.Fatalf("no conformance report in %s", reports)
	}
	if c.Implementation.Name != "my-envoy" || c.Environment != "envoy" || c.Run.Outcome != "passed" {
		t.Errorf("report: implementation %s in environment %s, run %s (%s)", c.Implementation.Name, c.Environment, c.Run.Outcome, c.Summary)
	}
	got := map[string]string{}
	for _, f := range c.Features {
		got[f.Name] = string(f.Result)
	}
	for name, result := range want {
		if got[name] != result {
			t.Errorf("feature %s: %q, want %q", name, got[name], result)
		}
	}
	if len(got) != len(want) {
		t.Errorf("features %v, want exactly %d: %v", got, len(want), want)
	}
	// Not conformant: a feature that only deviates is no conformance, declared or not.
	if v := c.Verdict; v.Conformant || len(v.NotConformant) != 1 || v.NotConformant[0] != "SemanticConventions (deviates)" || len(v.Features) != 9 {
		t.Errorf("verdict %+v, want not conformant for SemanticConventions (deviates) alone, conformant for 9 features", v)
	}
	if !reportedSkipped(c, skipped) {
		t.Errorf("report: %s is not among the skipped specs with the skip list's reason", skipped)
	}
	for _, name := range []string{"conformance.yaml", "conformance.md", conformance.JUnitName} {
		if _, err := os.Stat(filepath.Join(reports, name)); err != nil {
			t.Errorf("the report directory lacks %s: %v", name, err)
		}
	}
}

// reportedSkipped reports whether the report lists the spec with ID id as skipped by the skip list.
func reportedSkipped(c *conformance.Report, id string) bool {
	for _, f := range c.Features {
		for _, s := range f.Skipped {
			if s.ID == id && strings.Contains(s.Reason, "skip list") {
				return true
			}
		}
	}
	return false
}
