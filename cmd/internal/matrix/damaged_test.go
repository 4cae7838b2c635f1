package matrix_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tracegate/tracegate/cmd/internal/matrix"
	"github.com/tracegate/tracegate/framework/debug"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/spans"
)

// twoColumns loads the two runs of twoRuns as the matrix's columns, each named after its directory.
func twoColumns(t *testing.T, dir string) []*matrix.Column {
	t.Helper()
	var columns []*matrix.Column
	for _, d := range twoRuns(t, dir) {
		c, err := matrix.Load(d, filepath.Base(d))
		if err != nil {
			t.Fatal(err)
		}
		columns = append(columns, c)
	}
	return columns
}

// twoRuns writes the reports of two runs under dir: one that passed a spec and deviated in
// another (with its bundle and trace picture, named in junit.xml), and one that made no report.
func twoRuns(t *testing.T, dir string) []string {
	t.Helper()
	ran, none := filepath.Join(dir, "envoy"), filepath.Join(dir, "kind")
	bundle := filepath.Join(ran, "evidence", "deviating-spec")
	start := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	trace := "0af7651916cd43dd8448eb211c80319c"
	b := debug.Bundle{Spec: "Span names uses the host", Traces: map[string]spans.List{trace: {
		{TraceID: trace, SpanID: "b7ad6b7169203331", Name: "ingress", Kind: spans.KindServer, Start: start, End: start.Add(3 * time.Millisecond)},
	}}}
	if err := b.Write(bundle, nil); err != nil {
		t.Fatal(err)
	}
	c := report.Conformance{
		APIVersion: report.APIVersion, Kind: "ConformanceReport",
		Implementation: report.Implementation{Name: "envoy", Version: "1.40.0"}, Environment: "envoy",
		Run: report.RunResult{Outcome: "passed", Duration: "4s"},
		Features: []report.FeatureReport{{
			Name: "SpanName", Result: "partial",
			Passed:     []report.SpecResult{{Name: "Span names uses the decorator"}},
			Deviations: []report.SpecResult{{Name: "Span names uses the host", Reason: "declared in profiles/envoy.yaml"}},
		}},
	}
	if err := report.Write(c, filepath.Join(ran, report.YAMLName)); err != nil {
		t.Fatal(err)
	}
	junit := `<testsuites><testsuite><testcase name="[It] Span names uses the host [tracing, Feature:SpanName]">` +
		`<properties><property name="artifacts" value="&#34;` + bundle + `&#34;"></property></properties></testcase></testsuite></testsuites>`
	if err := os.WriteFile(filepath.Join(ran, "junit.xml"), []byte(junit), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(none, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(none, matrix.WhyName), []byte("no Docker here"), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{ran, none}
}

func page(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	columns := twoColumns(t, dir)
	out := filepath.Join(dir, "matrix")
	if err := matrix.Build(columns).Write(out, time.Now()); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, matrix.HTMLName)
}

// TestDamagedPageFails: the browser check passes the page as built, and fails it once a cell, an
// evidence file, a deviation's bundle or its self-containment is taken away, or it logs an error,
// naming what is wrong.
func TestDamagedPageFails(t *testing.T) {
	ctx := browser(t)
	good := page(t)
	if err := checkPage(ctx, good, filepath.Join(t.TempDir(), "good.png")); err != nil {
		t.Fatalf("the page as built: %v", err)
	}
	edit := func(p string, f func(string) string) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := map[string]struct {
		damage func(page string)
		want   string
	}{
		"a cell missing": {func(p string) {
			edit(p, func(s string) string {
				return regexp.MustCompile(`<td class="cell" data-col="kind"[^\n]*?</td>`).ReplaceAllString(s, "")
			})
		}, `expected one cell per column`},
		"an evidence file missing": {func(p string) {
			svgs, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "evidence", "*", "*", "*.svg"))
			svgs2, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "*", "*", "*.svg"))
			for _, s := range append(svgs, svgs2...) {
				os.Remove(s)
			}
		}, `no such file`},
		"a deviation without its bundle": {func(p string) {
			edit(p, func(s string) string {
				return regexp.MustCompile(`<a href="[^"]*/bundle.txt">[^<]*</a>`).ReplaceAllString(s, "")
			})
		}, `evidence links no bundle.txt`},
		"a script from the network": {func(p string) {
			edit(p, func(s string) string {
				return strings.Replace(s, "</body>", `<script src="https://example.invalid/x.js"></script></body>`, 1)
			})
		}, `not a file beside the page`},
		"a console error": {func(p string) {
			edit(p, func(s string) string {
				return strings.Replace(s, "</body>", `<script>console.error("boom")</script></body>`, 1)
			})
		}, `console.error`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := page(t)
			tc.damage(p)
			err := checkPage(ctx, p, filepath.Join(t.TempDir(), "damaged.png"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("expected the check to fail with %q, got %v", tc.want, err)
			}
		})
	}
}
