package report_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/verdict"
)

func TestDeviationsAreReportedApartFromFailuresAndSkips(t *testing.T) {
	c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		spec("a", types.SpecStatePassed, "", "Feature:TraceContext"),
		ended("b", verdict.Deviation, "Envoy accepts version ff (seen here); seen: the gateway must start a new trace", "Feature:TraceContext"),
	}}, features("TraceContext"), caddy)
	f := byName(c)["TraceContext"]
	if f.Result != report.SuccessWithDeviations || f.Statistics.Deviations != 1 || f.Statistics.Skipped != 0 || f.Statistics.Failed != 0 {
		t.Fatalf("feature %+v", f)
	}
	if len(f.Deviations) != 1 || f.Deviations[0].Reason != "Envoy accepts version ff (seen here); seen: the gateway must start a new trace" {
		t.Errorf("deviations %+v", f.Deviations)
	}
	if c.Run.Outcome != report.RunPassed ||
		!strings.Contains(c.Summary, "1 known deviations") ||
		!strings.Contains(report.Markdown(c), "Known deviations") {
		t.Errorf("run %+v, summary %q", c.Run, c.Summary)
	}
}

// Advisory specs (every MUST met, a rule below MUST broken) are listed apart from skips and
// failures, with the rules broken, and count as passed: the feature is a success, the run
// conformant, and nothing needs declaring.
func TestAdvisorySpecsAreReportedApartAndCountAsPassed(t *testing.T) {
	c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		spec("a", types.SpecStatePassed, "", "Feature:TraceContext"),
		ended(
			"b",
			verdict.Advisory,
			"broke only rules below MUST: MAY: a tracestate of more than 32 members is discarded",
			"Feature:TraceContext",
		),
		ended(
			"c",
			verdict.Advisory,
			"every required attribute is right; recommended missing: user_agent.original",
			"Feature:SemanticConventions",
		),
	}}, features("TraceContext", "SemanticConventions"), caddy)
	f := byName(c)["TraceContext"]
	if f.Result != report.Success ||
		f.Statistics.Advisory != 1 ||
		f.Statistics.Skipped != 0 ||
		f.Statistics.Passed != 1 ||
		f.Statistics.Failed != 0 ||
		f.Statistics.Deviations != 0 {
		t.Fatalf("feature %+v, want success with 1 passed and 1 advisory", f)
	}
	if len(f.Advisory) != 1 || !strings.Contains(f.Advisory[0].Reason, "a tracestate of more than 32 members is discarded") {
		t.Errorf("advisory specs %+v", f.Advisory)
	}
	if r := byName(c)["SemanticConventions"].Result; r != report.Success {
		t.Errorf("a feature whose only spec is advisory is %s, want success (every MUST is met)", r)
	}
	if v := c.Verdict; !v.Conformant || len(v.FeaturesWithDeviations) != 0 || len(v.NotConformant) != 0 {
		t.Errorf("verdict %+v, want conformant: advisory specs break no MUST", v)
	}
	if !strings.Contains(c.Summary, "2 advisory") || strings.Contains(c.Summary, "deviations") {
		t.Errorf("summary %q, want 2 advisory and no deviation", c.Summary)
	}
	md := report.Markdown(c)
	for _, want := range []string{
		"| feature | result | passed | advisory |",
		"| TraceContext | success | 1 | 1 | 0 | 0 | 0 |",
		"Advisory: every MUST met",
		"- b: broke only rules below MUST",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var table strings.Builder
	report.PrintTable(c, &table)
	if !strings.Contains(table.String(), "ADVISORY") || !strings.Contains(table.String(), "broke only rules below MUST") {
		t.Errorf("terminal table lacks the advisory column or note:\n%s", table.String())
	}
}

// A feature none of whose specs passed, every one a declared deviation, deviates: it is never
// reported as a success of any kind, and the run claims no conformance for it.
func TestOnlyDeclaredDeviationsDeviate(t *testing.T) {
	c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		ended("a", verdict.Deviation, "Contour sets no custom attribute; seen: none", "Feature:CustomAttributes"),
		ended("b", verdict.NotApplicable, "no CLIENT span", "Feature:CustomAttributes"),
		spec("c", types.SpecStatePassed, "", "Feature:SpanName"),
	}}, features("CustomAttributes", "SpanName"), caddy)
	f := byName(c)["CustomAttributes"]
	if f.Result != report.Deviates || f.Statistics.Deviations != 1 {
		t.Fatalf("feature %+v, want deviates", f)
	}
	v := c.Verdict
	if v.Conformant ||
		!slices.Equal(v.Features, []string{"SpanName"}) ||
		!slices.Equal(v.NotConformant, []string{"CustomAttributes (deviates)"}) {
		t.Errorf("verdict %+v, want not conformant, for SpanName only", v)
	}
	if !strings.Contains(c.Summary, "1 deviates") || !strings.Contains(report.Markdown(c), "| CustomAttributes | deviates |") {
		t.Errorf("summary %q; markdown:\n%s", c.Summary, report.Markdown(c))
	}
}

// Every result a feature can have, from its specs' verdicts.
func TestFeatureResults(t *testing.T) {
	passed := spec("p", types.SpecStatePassed, "", "Feature:F")
	advisory := ended("g", verdict.Advisory, "x", "Feature:F")
	deviation := ended("d", verdict.Deviation, "x", "Feature:F")
	na := ended("n", verdict.NotApplicable, "x", "Feature:F")
	failed := spec("f", types.SpecStateFailed, "x", "Feature:F")
	skipped := spec("s", types.SpecStateSkipped, "does not support feature F", "Feature:F")
	for _, tc := range []struct {
		specs types.SpecReports
		want  report.Result
	}{
		{types.SpecReports{passed, na}, report.Success},
		{types.SpecReports{advisory}, report.Success},
		{types.SpecReports{passed, advisory, na}, report.Success},
		{types.SpecReports{passed, deviation}, report.SuccessWithDeviations},
		{types.SpecReports{advisory, deviation, na}, report.SuccessWithDeviations},
		{types.SpecReports{advisory, failed}, report.Failure},
		{types.SpecReports{deviation, na}, report.Deviates},
		{types.SpecReports{passed, deviation, failed}, report.Failure},
		{types.SpecReports{na}, report.NotApplicable},
		{types.SpecReports{skipped, na}, report.Skipped},
		{types.SpecReports{}, report.Skipped},
	} {
		c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: tc.specs}, features("F"), caddy)
		if got := byName(c)["F"].Result; got != tc.want || !slices.Contains(report.Results, got) {
			t.Errorf("specs %v: %s, want %s", names(tc.specs), got, tc.want)
		}
	}
}

func names(specs types.SpecReports) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.LeafNodeText)
	}
	return out
}

func TestNotApplicableRowsLeaveTheResultAlone(t *testing.T) {
	c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		spec("server", types.SpecStatePassed, "", "Feature:StatusMatrix"),
		ended("client", verdict.NotApplicable, "caddy claims no CLIENT span", "Feature:StatusMatrix"),
	}}, features("StatusMatrix"), caddy)
	f := byName(c)["StatusMatrix"]
	if f.Result != report.Success || f.Statistics.NotApplicable != 1 || f.Statistics.Skipped != 0 || f.Statistics.Passed != 1 {
		t.Fatalf("feature %+v", f)
	}
	if len(f.NotApplicable) != 1 || f.NotApplicable[0].Reason != "caddy claims no CLIENT span" {
		t.Errorf("not applicable %+v", f.NotApplicable)
	}
	if !strings.Contains(report.Markdown(c), "Not applicable to this implementation") {
		t.Errorf("markdown lacks the not-applicable rows:\n%s", report.Markdown(c))
	}
	only := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		ended("client", verdict.NotApplicable, "caddy claims no CLIENT span", "Feature:StatusMatrix"),
	}}, features("StatusMatrix"), caddy)
	if r := byName(only)["StatusMatrix"].Result; r != report.NotApplicable {
		t.Errorf("a feature of only not-applicable rows is %s, want not-applicable", r)
	}
}
