package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/report"
)

func spec(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: text, LeafNodeLabels: labels,
		State: state, Failure: types.Failure{Message: msg},
	}
}

func features(names ...string) []report.Feature {
	var out []report.Feature
	for _, n := range names {
		out = append(out, report.Feature{Name: n, Label: "Feature:" + n})
	}
	return out
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
	c := report.Build(r, features("SpanName", "Propagation", "ErrorStatus", "UpstreamSpan", "Sampling"),
		report.Implementation{Name: "caddy", Version: "v2.11.9"}, "local", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	got := map[string]report.FeatureReport{}
	for _, f := range c.Features {
		got[f.Name] = f
	}
	want := map[string]report.Result{
		"SpanName": report.Partial, "Propagation": report.Failure, "ErrorStatus": report.Failure,
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
	if f := got["Propagation"].Failed; len(f) != 1 || f[0].Reason != "failed: Expected a span" {
		t.Errorf("Propagation failed specs %+v", f)
	}
	if s := got["UpstreamSpan"].Skipped; len(s) != 1 || !strings.Contains(s[0].Reason, "does not support feature UpstreamSpan") {
		t.Errorf("UpstreamSpan skip reason %+v", s)
	}
	if c.Summary != "5 features: 0 success, 1 partial, 2 failure, 2 skipped" {
		t.Errorf("summary %q", c.Summary)
	}
}

func TestWriteAndPrint(t *testing.T) {
	c := report.Build(types.Report{SpecReports: types.SpecReports{spec("a", types.SpecStatePassed, "", "Feature:SpanName")}},
		features("SpanName"), report.Implementation{Name: "caddy", Version: "v2.11.9"}, "local", time.Now())
	path := filepath.Join(t.TempDir(), "sub", "conformance.yaml")
	if err := c.Write(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var back report.Conformance
	if err := yaml.Unmarshal(data, &back); err != nil || back.Implementation.Name != "caddy" || back.Features[0].Result != report.Success {
		t.Fatalf("round trip: %v %+v\n%s", err, back, data)
	}
	var out bytes.Buffer
	c.PrintTable(&out)
	if !strings.Contains(out.String(), "SpanName") || !strings.Contains(out.String(), "success") {
		t.Fatalf("table:\n%s", out.String())
	}
}
