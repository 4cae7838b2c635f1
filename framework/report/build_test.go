package report_test

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
)

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
