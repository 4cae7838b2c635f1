package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
)

// An interrupted run, as Ginkgo reports it: one spec was running, the ones after it were
// skipped without a message, and so were those the label filter left out.
func interruptedRun() types.Report {
	running := spec(
		"waits for its span",
		types.SpecStateInterrupted,
		"Interrupted by User\nthe spec was in Eventually",
		"tracing",
		"Feature:Propagation",
	)
	return types.Report{
		SuiteConfig:                types.SuiteConfig{LabelFilter: "tracing && !Feature: containsAny {Sampling}"},
		SpecialSuiteFailureReasons: []string{"Interrupted by User"},
		SpecReports: types.SpecReports{
			spec("names the span", types.SpecStatePassed, "", "tracing", "Feature:SpanName"),
			spec("keeps the trace id", types.SpecStatePassed, "", "tracing", "Feature:Propagation"),
			running,
			spec("parents the upstream", types.SpecStateSkipped, "", "tracing", "Feature:Propagation"),
			spec("marks a 5xx", types.SpecStateSkipped, "", "tracing", "Feature:ErrorStatus"),
			spec("drops at 0%", types.SpecStateSkipped, "", "tracing", "Feature:Sampling"),
			spec("an earlier failure", types.SpecStateFailed, "Expected a span", "tracing", "Feature:TraceState"),
		},
	}
}

func TestInterruptedSpecIsNotAFailure(t *testing.T) {
	c := report.Build(interruptedRun(), features("SpanName", "Propagation", "ErrorStatus", "Sampling", "TraceState"), caddy)
	if c.Run.Outcome != report.RunInterrupted || c.Run.Reason != "Interrupted by User" {
		t.Errorf("run %+v, want interrupted by the user", c.Run)
	}
	got := byName(c)
	want := map[string]report.Result{
		"SpanName":    report.Success,     // everything it chose finished before the interrupt
		"Propagation": report.Interrupted, // its spec was running
		"ErrorStatus": report.NotRun,      // chosen, never started
		"Sampling":    report.Skipped,     // the label filter left it out
		"TraceState":  report.Failure,     // a real failure before the interrupt stands
	}
	for name, result := range want {
		if got[name].Result != result {
			t.Errorf("%s: %s, want %s", name, got[name].Result, result)
		}
	}
	p := got["Propagation"]
	if len(p.Failed) != 0 || p.Statistics.Failed != 0 {
		t.Errorf("the interrupted spec is listed as a failure: %+v", p.Failed)
	}
	if len(p.Interrupted) != 1 ||
		p.Interrupted[0].Name != "waits for its span" ||
		!strings.HasPrefix(p.Interrupted[0].Reason, "interrupted while running: Interrupted by User") {
		t.Errorf("interrupted specs %+v", p.Interrupted)
	}
	if len(p.NotRun) != 1 || p.NotRun[0].Reason != "not run: the run was interrupted before this spec started" || p.Statistics.Passed != 1 {
		t.Errorf("Propagation %+v", p)
	}
	if s := got["Sampling"].Skipped; len(s) != 1 ||
		s[0].Reason != "not selected by the label filter or focus" ||
		got["Sampling"].Statistics.NotRun != 0 {
		t.Errorf("a spec the label filter left out is reported as not run: %+v", got["Sampling"])
	}
	if !strings.Contains(c.Summary, "interrupted: 5 features: 1 success, 1 failure, 1 skipped, 1 not-run, 1 interrupted") {
		t.Errorf("summary %q", c.Summary)
	}
	md := report.Markdown(c)
	for _, w := range []string{
		"| Propagation | interrupted | 1 | 0 | 0 | 0 | 0 | 1 | 1 |",
		"Interrupted while running (no verdict):",
		"Not run: the run ended before they started:",
	} {
		if !strings.Contains(md, w) {
			t.Errorf("markdown lacks %q:\n%s", w, md)
		}
	}
	var out bytes.Buffer
	report.PrintTable(c, &out)
	if !strings.Contains(out.String(), "interrupted while running") {
		t.Errorf("table has no note on the interrupted spec:\n%s", out.String())
	}
}

func TestSuiteTimeoutCutsTheRunningSpecButASpecTimeoutFails(t *testing.T) {
	r := types.Report{SpecialSuiteFailureReasons: []string{"Suite Timeout Elapsed"}, SpecReports: types.SpecReports{
		spec("cut by the suite timeout", types.SpecStateTimedout, "A suite timeout occurred", "Feature:SpanName"),
		spec("ran out of its own time", types.SpecStateTimedout, "A spec timeout occurred", "Feature:Propagation"),
	}}
	got := byName(report.Build(r, features("SpanName", "Propagation"), caddy))
	if f := got["SpanName"]; f.Result != report.Interrupted || f.Statistics.Interrupted != 1 {
		t.Errorf("SpanName %+v, want interrupted", f)
	}
	if f := got["Propagation"]; f.Result != report.Failure || f.Statistics.Failed != 1 {
		t.Errorf("Propagation %+v, want a failure", f)
	}
}

func TestSpecsTheFiltersLeftOutAreNotNotRun(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config types.SuiteConfig
		focus  bool // programmatic focus: the filters cannot be applied again
		notRun int  // of the two skipped specs
	}{
		{"no filter", types.SuiteConfig{}, false, 2},
		{"label filter", types.SuiteConfig{LabelFilter: "smoke"}, false, 1},
		{"focus", types.SuiteConfig{FocusStrings: []string{"the span$"}}, false, 1},
		{"skip", types.SuiteConfig{SkipStrings: []string{"trace id"}}, false, 1},
		{"focus file", types.SuiteConfig{FocusFiles: []string{"span_name.go"}}, false, 1},
		{"programmatic focus", types.SuiteConfig{}, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := spec("names the span", types.SpecStateSkipped, "", "Feature:SpanName", "smoke")
			a.LeafNodeLocation = types.CodeLocation{FileName: "features/tracing/span_name.go", LineNumber: 10}
			b := spec("keeps the trace id", types.SpecStateSkipped, "", "Feature:SpanName")
			b.LeafNodeLocation = types.CodeLocation{FileName: "features/tracing/propagation.go", LineNumber: 10}
			r := types.Report{SuiteConfig: tc.config, SuiteHasProgrammaticFocus: tc.focus,
				SpecialSuiteFailureReasons: []string{"Interrupted by User"}, SpecReports: types.SpecReports{a, b}}
			f := byName(report.Build(r, features("SpanName"), caddy))["SpanName"]
			if len(f.NotRun) != tc.notRun || len(f.Skipped) != 2-tc.notRun {
				t.Errorf("not run %+v, skipped %+v; want %d not run", f.NotRun, f.Skipped, tc.notRun)
			}
			if tc.notRun == 1 && f.NotRun[0].Name != "names the span" {
				t.Errorf("the wrong spec counts as chosen: %+v", f.NotRun)
			}
		})
	}
}
