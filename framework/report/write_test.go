package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/report"
)

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
