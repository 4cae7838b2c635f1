package conventions_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/report"
)

// catalog is two features, one with the semantic-conventions section, as features/tracing has.
var catalog = []report.Feature{
	{Name: "SemanticConventions", Label: "Feature:SemanticConventions", Section: conventions.ReportSection{}},
	{Name: "SpanName", Label: "Feature:SpanName"},
}

var run = report.Run{
	Implementation: report.Implementation{Name: "caddy", Version: "v2.11.9"},
	Environment:    "local",
	Now:            time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
}

func spec(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType:   types.NodeTypeIt,
		LeafNodeText:   text,
		LeafNodeLabels: labels,
		State:          state,
		Failure:        types.Failure{Message: msg},
	}
}

// scored is a spec that added a span score as a report entry, as features/tracing does.
func scored(text string, value any) types.SpecReport {
	s := spec(text, types.SpecStatePassed, "", "Feature:SemanticConventions")
	s.ReportEntries = types.ReportEntries{{Name: conventions.EntryName, Value: types.WrapEntryValue(value)}}
	return s
}

func TestSemanticConventionsTableComesFromReportEntries(t *testing.T) {
	server := conventions.SpanScore{Version: "1.43.0", AttributeNaming: "semconv", Request: "a GET answered 200", Kind: "SERVER",
		Name: conventions.NameCheck{Seen: "semconv.example.com", Recommended: "GET"},
		Attributes: []conventions.AttributeCheck{
			{Attribute: "http.request.method", Level: "required", Type: "string", Result: conventions.Present, Seen: `"GET"`, Expected: `"GET"`},
			{
				Attribute: "url.query",
				Level:     "conditionally required",
				Condition: "a query was sent",
				Type:      "string",
				Result:    conventions.Missing,
				Expected:  `"q=1"`,
			},
			{
				Attribute: "http.response.status_code",
				Level:     "conditionally required",
				Type:      "int",
				Result:    conventions.Deviation,
				Seen:      `"200"`,
				SeenAs:    "http.status_code",
			},
		}}
	// From a parallel process the value arrives as decoded JSON, not as the SpanScore.
	var decoded any
	data, _ := json.Marshal(conventions.SpanScore{
		Version:         "1.43.0",
		AttributeNaming: "semconv",
		Request:         "a POST answered 500",
		Kind:            "CLIENT",
		Attributes: []conventions.AttributeCheck{
			{Attribute: "error.type", Level: "conditionally required", Type: "string", Result: conventions.WrongType, Seen: "500"},
		},
	})
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	c := report.Build(types.Report{SuiteSucceeded: true, SpecReports: types.SpecReports{
		scored("client", decoded), scored("server", server), spec("other", types.SpecStatePassed, "", "Feature:SpanName"),
	}}, catalog, run)
	sc, _ := c.Sections["semanticConventions"].(*conventions.Scores)
	if sc == nil || sc.Version != "1.43.0" || sc.AttributeNaming != "semconv" || len(sc.Spans) != 2 || sc.Problem != "" {
		t.Fatalf("section %+v", sc)
	}
	if sc.Spans[0].Spec != "server" || sc.Spans[1].Kind != "CLIENT" || sc.Spans[1].Attributes[0].Result != conventions.WrongType {
		t.Errorf("spans, SERVER first whatever order the specs ran in: %+v", sc.Spans)
	}
	dir := t.TempDir()
	if err := report.WriteAll(c, dir); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(dir, report.YAMLName))
	var back report.Conformance
	if err := yaml.Unmarshal(data, &back); err != nil ||
		!strings.Contains(fmt.Sprint(back.Sections["semanticConventions"]), "seenAs:http.status_code") {
		t.Fatalf("round trip: %v\n%s", err, data)
	}
	for _, want := range []string{"semanticConventions:", "version: 1.43.0", "seenAs: http.status_code", "result: missing"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("yaml lacks %q:\n%s", want, data)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, report.MarkdownName))
	for _, want := range []string{
		"## Semantic conventions 1.43.0", "### SERVER span: a GET answered 200",
		`Span name "semconv.example.com"; the convention recommends "GET" (differs; informational)`,
		`| url.query | conditionally required: a query was sent | string | missing |  | "q=1" |  |`,
		`| http.response.status_code | conditionally required | int | deviation | "200" as http.status_code |`,
		"Required and conditionally required (where the condition holds) are MUST", "Recommended and opt-in are below MUST",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var out bytes.Buffer
	report.PrintTable(c, &out)
	if !strings.Contains(
		out.String(),
		"semantic conventions 1.43.0: 2 span(s) scored attribute by attribute (1 present, 1 deviation, 1 missing, 1 wrong-type)",
	) {
		t.Errorf("table:\n%s", out.String())
	}
}

func TestNoSemanticConventionsSectionWithoutScores(t *testing.T) {
	c := report.Build(types.Report{SpecReports: types.SpecReports{spec("a", types.SpecStatePassed, "", "Feature:SpanName")}}, catalog, run)
	if c.Sections != nil || strings.Contains(report.Markdown(c), "Semantic conventions") {
		t.Errorf("a run without scored spans has a section: %+v", c.Sections)
	}
	bad := scored("bad", "not a score")
	c = report.Build(types.Report{SpecReports: types.SpecReports{bad}}, catalog, run)
	if sc, _ := c.Sections["semanticConventions"].(*conventions.Scores); sc == nil ||
		!strings.Contains(sc.Problem, `of "bad" is not a span score`) {
		t.Errorf("an unreadable entry is reported as a problem: %+v", c.Sections)
	}
}
