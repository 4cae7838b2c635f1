package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/verdict"
)

func spec(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: text, LeafNodeLabels: labels,
		State: state, Failure: types.Failure{Message: msg}, RunTime: 1500 * time.Millisecond,
	}
}

// ended is a skipped spec that recorded its verdict, as verdict.End does: the entry, and a skip
// message saying the same.
func ended(text string, kind verdict.Kind, reason string, labels ...string) types.SpecReport {
	s := spec(text, types.SpecStateSkipped, string(kind)+": "+reason, labels...)
	s.ReportEntries = types.ReportEntries{{Name: verdict.EntryName, Value: types.WrapEntryValue(verdict.Verdict{Kind: kind, Reason: reason})}}
	return s
}

func features(names ...string) []report.Feature {
	var out []report.Feature
	for _, n := range names {
		out = append(out, report.Feature{Name: n, Label: "Feature:" + n})
	}
	return out
}

var caddy = report.Run{
	Implementation: report.Implementation{Name: "caddy", Version: "v2.11.9"},
	Environment:    "local",
	Now:            time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
}

func byName(c report.Conformance) map[string]report.FeatureReport {
	got := map[string]report.FeatureReport{}
	for _, f := range c.Features {
		got[f.Name] = f
	}
	return got
}

func TestBuildGroupsSpecsByFeature(t *testing.T) {
	r := types.Report{SpecReports: types.SpecReports{
		spec("a", types.SpecStatePassed, "", "tracing", "Feature:SpanName"),
		spec("b", types.SpecStatePassed, "", "tracing", "Feature:SpanName"),
		spec("b2", types.SpecStateSkipped, "", "tracing", "Feature:SpanName"),
		spec("c", types.SpecStatePassed, "", "Feature:Propagation"),
		spec("d", types.SpecStateFailed, "Expected a span\nmore", "Feature:Propagation"),
		spec("e", types.SpecStateFailed, "boom", "Feature:ErrorStatus"),
		spec("f", types.SpecStateSkipped, "caddy v2.11.9 does not support feature UpstreamSpan", "Feature:UpstreamSpan"),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}
	c := report.Build(r, features("SpanName", "Propagation", "ErrorStatus", "UpstreamSpan", "Sampling"), caddy)
	got := byName(c)
	want := map[string]report.Result{
		"SpanName": report.Success, "Propagation": report.Failure, "ErrorStatus": report.Failure,
		"UpstreamSpan": report.Skipped, "Sampling": report.Skipped,
	}
	for name, result := range want {
		if got[name].Result != result {
			t.Errorf("%s: result %q, want %q", name, got[name].Result, result)
		}
	}
	if s := got["Propagation"].Statistics; s.Passed != 1 || s.Failed != 1 {
		t.Errorf("Propagation statistics %+v", s)
	}
	if f := got["Propagation"].Failed; len(f) != 1 || f[0].Reason != "failed: Expected a span\nmore" || f[0].Duration != "1.5s" {
		t.Errorf("Propagation failed specs keep the whole message and the duration: %+v", f)
	}
	if p := got["SpanName"].Passed; len(p) != 2 || p[0].Duration != "1.5s" {
		t.Errorf("passed specs are listed with their durations: %+v", p)
	}
	if s := got["UpstreamSpan"].Skipped; len(s) != 1 || !strings.Contains(s[0].Reason, "does not support feature UpstreamSpan") {
		t.Errorf("UpstreamSpan skip reason %+v", s)
	}
	if s := got["SpanName"].Skipped; len(s) != 1 || s[0].Reason != "not selected by the label filter or focus" {
		t.Errorf("a spec without a reason in a finished run was filtered out: %+v", s)
	}
	if c.Run.Outcome != report.RunFailed || c.Summary != "failed: 5 features: 1 success, 2 failure, 2 skipped" {
		t.Errorf("run %+v, summary %q", c.Run, c.Summary)
	}
}

// Each way a run can end, and what its report says.
func TestBuildSaysHowTheRunEnded(t *testing.T) {
	setupFailed := types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStateFailed,
		Failure: types.Failure{Message: "\x1b[1mcaddy exited before it was ready (exit status 1)\x1b[0m"}}
	notRun := spec("a", types.SpecStateSkipped, "", "Feature:SpanName")
	passed := spec("b", types.SpecStatePassed, "", "Feature:SpanName")
	for _, tc := range []struct {
		name        string
		report      types.Report
		configError string
		outcome     report.Outcome
		reason      string // in Run.Reason
		skip        string // in the reason of the spec that did not run
		result      report.Result
	}{
		{"pass", types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{passed}}, "", report.RunPassed, "", "", report.Success},
		{"setup failure", types.Report{SpecReports: types.SpecReports{setupFailed, notRun}}, "", report.RunSetupFailed,
			"caddy exited before it was ready", "not run: the run failed before any spec (setup-failed)", report.NotRun},
		{
			"config error",
			types.Report{SpecReports: types.SpecReports{notRun}},
			"ginkgo.yaml:3: environment: \"nope\" is not an environment",
			report.RunConfigError,
			"is not an environment",
			"not run: the run failed before any spec (config-error)",
			report.NotRun,
		},
		{
			"interrupt",
			types.Report{SpecialSuiteFailureReasons: []string{"Interrupted by User"}, SpecReports: types.SpecReports{passed, notRun}},
			"",
			report.RunInterrupted,
			"Interrupted by User",
			"not run: the run was interrupted before this spec started",
			report.NotRun,
		},
		{
			"suite timeout",
			types.Report{SpecialSuiteFailureReasons: []string{"Suite Timeout Elapsed"}, SpecReports: types.SpecReports{notRun}},
			"",
			report.RunTimedOut,
			"Suite Timeout Elapsed",
			"not run: the run was timed-out before this spec started",
			report.NotRun,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := caddy
			run.ConfigError = tc.configError
			c := report.Build(tc.report, features("SpanName"), run)
			if c.Run.Outcome != tc.outcome || !strings.Contains(c.Run.Reason, tc.reason) || strings.Contains(c.Run.Reason, "\x1b") {
				t.Errorf("run %+v; want outcome %s with reason containing %q and no ANSI codes", c.Run, tc.outcome, tc.reason)
			}
			f := byName(c)["SpanName"]
			if f.Result != tc.result {
				t.Errorf("SpanName %s, want %s", f.Result, tc.result)
			}
			if tc.skip != "" && (len(f.NotRun) != 1 || f.NotRun[0].Reason != tc.skip || f.Statistics.NotRun != 1 || len(f.Skipped) != 0) {
				t.Errorf("not run %+v, skipped %+v; want one not run with reason %q", f.NotRun, f.Skipped, tc.skip)
			}
		})
	}
}

func TestWriteAllAndPrint(t *testing.T) {
	c := report.Build(types.Report{SpecReports: types.SpecReports{
		spec("a", types.SpecStatePassed, "", "Feature:SpanName"),
		spec("b", types.SpecStateFailed, "Expected a span | named x\nClosest span: none", "Feature:Propagation"),
	}}, features("SpanName", "Propagation"), caddy)
	dir := filepath.Join(t.TempDir(), "sub")
	if err := report.WriteAll(c, dir); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, report.YAMLName))
	var back report.Conformance
	if err := yaml.Unmarshal(data, &back); err != nil || back.Implementation.Name != "caddy" || back.Features[1].Result != report.Success {
		t.Fatalf("round trip: %v %+v\n%s", err, back, data)
	}
	md, _ := os.ReadFile(filepath.Join(dir, report.MarkdownName))
	for _, want := range []string{
		"| SpanName | success | 1 | 0 | 0 |",
		"| Propagation | failure | 0 | 0 | 1 | 0 |",
		"Closest span: none",
		"Run **failed**",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var out bytes.Buffer
	report.PrintTable(c, &out)
	if !strings.Contains(out.String(), "SpanName") || !strings.Contains(out.String(), "success") {
		t.Fatalf("table:\n%s", out.String())
	}
}

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

// A failed AfterSuite (a teardown that failed) fails the run though every spec passed, as does a
// suite Ginkgo failed for a reason no node shows; either way the run claims no conformance.
func TestFailedSuiteNodesFailTheRun(t *testing.T) {
	passed := spec("b", types.SpecStatePassed, "", "Feature:SpanName")
	afterSuite := types.SpecReport{LeafNodeType: types.NodeTypeSynchronizedAfterSuite, State: types.SpecStateFailed,
		Failure: types.Failure{Message: "stopping the gateway: caddy did not exit"}}
	cleanup := types.SpecReport{
		LeafNodeType: types.NodeTypeCleanupAfterSuite,
		State:        types.SpecStateFailed,
		Failure:      types.Failure{Message: "removing the cluster"},
	}
	for _, tc := range []struct {
		name    string
		report  types.Report
		outcome report.Outcome
		reason  string
	}{
		{
			"failed SynchronizedAfterSuite",
			types.Report{SpecReports: types.SpecReports{passed, afterSuite}},
			report.RunTeardownFailed,
			"caddy did not exit",
		},
		{"failed suite cleanup", types.Report{SpecReports: types.SpecReports{passed, cleanup}}, report.RunTeardownFailed, "removing the cluster"},
		{"failed without a reason", types.Report{SpecReports: types.SpecReports{passed}}, report.RunFailed, "did not succeed"},
		{"failed for a special reason", types.Report{SpecialSuiteFailureReasons: []string{"Detected no specs ran and --fail-on-empty is set"},
			SpecReports: types.SpecReports{passed}}, report.RunFailed, "fail-on-empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := report.Build(tc.report, features("SpanName"), caddy)
			if c.Run.Outcome != tc.outcome || !strings.Contains(c.Run.Reason, tc.reason) {
				t.Errorf("run %+v, want %s with a reason containing %q", c.Run, tc.outcome, tc.reason)
			}
			if c.Verdict.Conformant || byName(c)["SpanName"].Result != report.Success {
				t.Errorf("verdict %+v, SpanName %s: want no conformance claimed, the spec's own success kept", c.Verdict, byName(c)["SpanName"].Result)
			}
		})
	}
}

// A Markdown report that cannot be written leaves a YAML report whose outcome says so.
func TestReportNotWritten(t *testing.T) {
	c := report.Build(
		types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{spec("b", types.SpecStatePassed, "", "Feature:SpanName")}},
		features("SpanName"),
		caddy,
	)
	if !c.Verdict.Conformant {
		t.Fatalf("verdict %+v, want conformant", c.Verdict)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, report.MarkdownName), 0o755); err != nil { // a directory where the file goes
		t.Fatal(err)
	}
	if err := report.WriteAll(c, dir); err == nil {
		t.Fatal("WriteAll wrote over a directory")
	}
	data, _ := os.ReadFile(filepath.Join(dir, report.YAMLName))
	var back report.Conformance
	if err := yaml.Unmarshal(data, &back); err != nil || back.Run.Outcome != report.RunReportNotWritten || back.Verdict.Conformant ||
		!strings.Contains(back.Run.Reason, report.MarkdownName) {
		t.Fatalf("%v: run %+v, verdict %+v, want report-not-written naming %s", err, back.Run, back.Verdict, report.MarkdownName)
	}
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
