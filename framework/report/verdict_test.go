package report_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/verdict"
)

// The report reads a spec's verdict from its typed entry, never from its skip message: a skip
// whose message merely starts like a verdict is a skip.
func TestSkipMessageIsNotAVerdict(t *testing.T) {
	c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		spec("a", types.SpecStateSkipped, "passed-with-gaps: only says so", "Feature:SpanName"),
		spec("b", types.SpecStateSkipped, "deviation: only says so", "Feature:SpanName"),
	}}, features("SpanName"), caddy)
	f := byName(c)["SpanName"]
	if f.Result != report.Skipped || f.Statistics.Skipped != 2 || f.Statistics.Advisory != 0 || f.Statistics.Deviations != 0 {
		t.Fatalf("feature %+v, want two plain skips", f)
	}
}

// A verdict from a parallel Ginkgo process arrives as decoded JSON, not as a verdict.Verdict.
func TestVerdictFromAParallelProcess(t *testing.T) {
	var decoded any
	if err := json.Unmarshal([]byte(`{"kind":"deviation","reason":"older attribute names"}`), &decoded); err != nil {
		t.Fatal(err)
	}
	s := spec("a", types.SpecStateSkipped, "deviation: older attribute names", "Feature:SemanticConventions")
	s.ReportEntries = types.ReportEntries{{Name: verdict.EntryName, Value: types.WrapEntryValue(decoded)}}
	f := byName(report.Build(
		types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{s}},
		features("SemanticConventions"),
		caddy,
	))["SemanticConventions"]
	if f.Statistics.Deviations != 1 || len(f.Deviations) != 1 || f.Deviations[0].Reason != "older attribute names" {
		t.Fatalf("feature %+v, want one deviation with its reason", f)
	}
}

// An entry that is no verdict is a bug of the suite: the spec fails with what was wrong.
func TestUnreadableVerdictIsAFailure(t *testing.T) {
	s := spec("a", types.SpecStateSkipped, "passed-with-gaps: x", "Feature:SpanName")
	s.ReportEntries = types.ReportEntries{
		{Name: verdict.EntryName, Value: types.WrapEntryValue(verdict.Verdict{Kind: "sort of", Reason: "x"})},
	}
	f := byName(report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{s}}, features("SpanName"), caddy))["SpanName"]
	if f.Result != report.Failure || len(f.Failed) != 1 || !strings.Contains(f.Failed[0].Reason, `unknown kind "sort of"`) {
		t.Fatalf("feature %+v, want a failure naming the unknown kind", f)
	}
}
