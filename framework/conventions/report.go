package conventions

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/report"
)

// EntryName names the Ginkgo report entry (AddReportEntry) whose value is a SpanScore: how
// one span scored against the OpenTelemetry semantic conventions, attribute by attribute.
const EntryName = "semantic-conventions"

// ReportSection is the feature SemanticConventions's section of the conformance report
// (report.Feature.Section): it collects the SpanScore entries of the run's specs into a Scores.
type ReportSection struct{}

// Key implements report.Section.
func (ReportSection) Key() string { return "semanticConventions" }

// Collect implements report.Section.
func (ReportSection) Collect(specs types.SpecReports) report.Content {
	if s := collect(specs); s != nil {
		return s
	}
	return nil
}

// Scores is the report's per-attribute table: every span the run scored against the semantic
// conventions' HTTP span attributes, SERVER spans first.
type Scores struct {
	// Version is the semantic-conventions release the attribute table follows, e.g. 1.43.0.
	Version string `yaml:"version"`
	// AttributeNaming is the profile's attributeNaming: envoy scores Envoy's older names as a
	// declared deviation.
	AttributeNaming string      `yaml:"attributeNaming"`
	Spans           []SpanScore `yaml:"spans"`
	// Problem says why an entry could not be read: a bug of the suite, shown rather than dropped.
	Problem string `yaml:"problem,omitempty"`
}

// SpanScore is one span scored against the conventions: the spec and request it came from, its
// kind, its name against the convention's recommendation, and every attribute of the table.
type SpanScore struct {
	Spec            string           `yaml:"spec" json:"spec,omitempty"`
	Version         string           `yaml:"-" json:"version"`
	AttributeNaming string           `yaml:"-" json:"attributeNaming"`
	Request         string           `yaml:"request" json:"request"`
	Kind            string           `yaml:"span" json:"span"`
	Name            NameCheck        `yaml:"spanName" json:"spanName"`
	Attributes      []AttributeCheck `yaml:"attributes" json:"attributes"`
}

// NameCheck compares the span's name with the name the convention recommends. It is
// informational: it never fails or skips a spec.
type NameCheck struct {
	Seen        string `yaml:"seen" json:"seen"`
	Recommended string `yaml:"recommended" json:"recommended"`
	Follows     bool   `yaml:"follows" json:"follows"`
}

// AttributeResult is what became of one attribute of the table on a span.
type AttributeResult string

// The results an attribute can have.
const (
	Present       AttributeResult = "present"        // set, of its type, with the value the request implies
	Redacted      AttributeResult = "redacted"       // the request's query with values scrubbed to REDACTED, as the conventions allow
	Missing       AttributeResult = "missing"        // not set (under any name the profile's naming allows), though required or recommended
	NotSet        AttributeResult = "not-set"        // an opt-in attribute the gateway does not set
	WrongType     AttributeResult = "wrong-type"     // set with another type, e.g. the string "200" for an int
	WrongValue    AttributeResult = "wrong-value"    // set, of its type, with a value the request contradicts
	Unexpected    AttributeResult = "unexpected"     // set where the convention says it should not be
	Deviation     AttributeResult = "deviation"      // found under the older name the profile declares (attributeNaming)
	NotApplicable AttributeResult = "not-applicable" // absent, and its condition does not hold for this request
)

// AttributeCheck is one attribute of the table on one span.
type AttributeCheck struct {
	Attribute string `yaml:"attribute" json:"attribute"`
	// Level is the requirement level: required, conditionally required, recommended or opt-in.
	Level string `yaml:"level" json:"level"`
	// Condition is when a conditional level applies, as the convention words it.
	Condition string          `yaml:"condition,omitempty" json:"condition,omitempty"`
	Type      string          `yaml:"type" json:"type"`
	Result    AttributeResult `yaml:"result" json:"result"`
	// Seen is the value the span carried, formatted with its type ("200" is a string, 200 an int).
	Seen     string `yaml:"seen,omitempty" json:"seen,omitempty"`
	Expected string `yaml:"expected,omitempty" json:"expected,omitempty"`
	// SeenAs is the older attribute the value was read from, for a deviation.
	SeenAs string `yaml:"seenAs,omitempty" json:"seenAs,omitempty"`
	Note   string `yaml:"note,omitempty" json:"note,omitempty"`
}

// collect gathers the SpanScore entries of the specs, nil when no spec scored one. An entry's
// value is the SpanScore itself in process and decoded JSON from parallel processes: both go
// through JSON.
func collect(specs types.SpecReports) *Scores {
	var out *Scores
	for _, spec := range specs {
		for _, entry := range spec.ReportEntries {
			if entry.Name != EntryName {
				continue
			}
			if out == nil {
				out = &Scores{}
			}
			score, err := decodeScore(entry.Value.GetRawValue())
			if err != nil {
				out.Problem += fmt.Sprintf("report entry %q of %q is not a span score: %v; ", EntryName, spec.FullText(), err)
				continue
			}
			score.Spec = spec.FullText()
			out.Version, out.AttributeNaming = score.Version, score.AttributeNaming
			out.Spans = append(out.Spans, score)
		}
	}
	if out != nil { // in the order of the table, whatever order the specs ran in
		slices.SortStableFunc(out.Spans, func(a, b SpanScore) int {
			return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(a.Spec, b.Spec))
		})
	}
	return out
}

// kindRank puts SERVER spans before CLIENT spans: the order a request goes through the gateway.
func kindRank(kind string) int {
	if kind == "SERVER" {
		return 0
	}
	return 1
}

func decodeScore(raw any) (SpanScore, error) {
	var score SpanScore
	data, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(data, &score)
	}
	return score, err
}

// Markdown implements report.Content: a section per span, a row per attribute.
func (s *Scores) Markdown(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Semantic conventions %s\n\n", s.Version)
	if s.Problem != "" {
		fmt.Fprintf(b, "Problem: %s\n\n", report.Cell(s.Problem))
	}
	fmt.Fprintf(b, "Each span's HTTP attributes against the OpenTelemetry semantic conventions %s, at their requirement levels "+
		"(attribute naming `%s`). Required and conditionally required (where the condition holds) are MUST: one missing, or any "+
		"attribute's wrong type or value, fails the row. Recommended and opt-in are below MUST: a recommended one missing, or one set "+
		"where the convention says not to, makes the row advisory. Span names are informational.\n", s.Version, s.AttributeNaming)
	for _, span := range s.Spans {
		verdict := "follows it"
		if !span.Name.Follows {
			verdict = "differs; informational"
		}
		fmt.Fprintf(b, "\n### %s span: %s\n\nSpan name %q; the convention recommends %q (%s).\n\n",
			span.Kind, span.Request, span.Name.Seen, span.Name.Recommended, verdict)
		b.WriteString("| attribute | level | type | result | seen | expected | note |\n|---|---|---|---|---|---|---|\n")
		for _, a := range span.Attributes {
			level := a.Level
			if a.Condition != "" {
				level += ": " + a.Condition
			}
			seen := a.Seen
			if a.SeenAs != "" {
				seen += " as " + a.SeenAs
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n",
				a.Attribute, report.Cell(level), a.Type, a.Result, report.Cell(seen), report.Cell(a.Expected), report.Cell(a.Note))
		}
	}
}

// Summary implements report.Content: the release, how many spans were scored, and how many
// attribute checks had each result.
func (s *Scores) Summary() string {
	return fmt.Sprintf("semantic conventions %s: %d span(s) scored attribute by attribute (%s)", s.Version, len(s.Spans), s.counts())
}

// counts says how many attribute checks had each result, e.g. "40 present, 2 missing".
func (s *Scores) counts() string {
	n := map[AttributeResult]int{}
	for _, span := range s.Spans {
		for _, a := range span.Attributes {
			n[a.Result]++
		}
	}
	var parts []string
	for _, r := range []AttributeResult{Present, Redacted, Deviation, Missing, WrongType, WrongValue, Unexpected, NotSet, NotApplicable} {
		if n[r] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[r], r))
		}
	}
	return strings.Join(parts, ", ")
}
