package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/text"
)

// The files a run writes into its report directory.
const (
	YAMLName     = "conformance.yaml"
	MarkdownName = "conformance.md"
)

// WriteAll writes the report as YAML and Markdown into dir, replacing any earlier run's. The
// Markdown goes first: when it cannot be written, the YAML says so in its outcome
// (report-not-written) and verdict, and the error is returned.
func WriteAll(c Conformance, dir string) error {
	mdErr := os.MkdirAll(dir, 0o755)
	if mdErr == nil {
		mdErr = os.WriteFile(filepath.Join(dir, MarkdownName), []byte(Markdown(c)), 0o644)
	}
	if mdErr != nil {
		c = NotWritten(c, fmt.Sprintf("%s could not be written: %v", MarkdownName, mdErr))
	}
	if err := Write(c, filepath.Join(dir, YAMLName)); err != nil {
		return errors.Join(mdErr, err)
	}
	return mdErr
}

// NotWritten is the report of a run one of whose reports could not be written: whatever its
// specs did, its outcome is report-not-written, with why, and it claims no conformance.
func NotWritten(c Conformance, why string) Conformance {
	if c.Run.Outcome == RunPassed {
		c.Run.Outcome, c.Run.Reason = RunReportNotWritten, why
	} else {
		c.Run.Reason = strings.TrimPrefix(c.Run.Reason+"; "+why, "; ")
	}
	c.Verdict = verdictOf(c.Run, c.Features)
	c.Summary = summary(c.Run.Outcome, c.Features)
	return c
}

// Write stores the report as YAML.
func Write(c Conformance, path string) error {
	data, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Markdown renders the report as a table for a pull request or a README, with the failures
// and skips below it.
func Markdown(c Conformance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Tracing conformance: %s %s\n\n", c.Implementation.Name, c.Implementation.Version)
	fmt.Fprintf(&b, "Environment `%s`, %s, tracegate %s. Run **%s**", c.Environment, c.Date, c.SuiteVersion, c.Run.Outcome)
	if c.Run.Reason != "" {
		fmt.Fprintf(&b, ": %s", Cell(text.FirstLine(c.Run.Reason)))
	}
	fmt.Fprintf(&b, " (%s).\n", c.Run.Duration)
	fmt.Fprintf(&b, "Verdict: **%s**.\n", Cell(c.Verdict.Reason))
	if c.Implementation.Observed != "" {
		fmt.Fprintf(&b, "Observed gateway: %s.\n", c.Implementation.Observed)
	}
	if p := c.ProfileFeatures; len(p.Claimed)+len(p.NotClaimed) > 0 {
		switch {
		case len(p.NotClaimed) == 0:
			fmt.Fprintf(&b, "The profile claims every feature: %s.\n", strings.Join(p.Claimed, ", "))
		default:
			fmt.Fprintf(&b, "The profile claims %s; it does not claim %s.\n", orNone(p.Claimed), strings.Join(p.NotClaimed, ", "))
		}
	}
	for _, s := range c.Standards {
		fmt.Fprintf(&b, "Judged by %s %s (<%s>): %s.\n", s.Name, s.Version, s.URL, strings.Join(s.Features, ", "))
	}
	b.WriteString("\n| feature | result | passed | advisory | failed | known deviations | skipped | interrupted | not run |\n" +
		"|---|---|---|---|---|---|---|---|---|\n")
	for _, f := range c.Features {
		s := f.Statistics
		fmt.Fprintf(
			&b,
			"| %s | %s | %d | %d | %d | %d | %d | %d | %d |\n",
			f.Name,
			f.Result,
			s.Passed,
			s.Advisory,
			s.Failed,
			s.Deviations,
			s.Skipped,
			s.Interrupted,
			s.NotRun,
		)
	}
	for _, f := range c.Features {
		for _, s := range f.Failed {
			fmt.Fprintf(&b, "\n**%s**%s failed (%s):\n\n```\n%s\n```\n", s.Name, idNote(s), s.Duration, s.Reason)
		}
	}
	firstLine := func(s SpecResult) string { return text.FirstLine(s.Reason) }
	whole := func(s SpecResult) string { return s.Reason }
	list(c, &b, "Interrupted while running (no verdict)", func(f FeatureReport) []SpecResult { return f.Interrupted }, firstLine)
	list(c, &b, "Not run: the run ended before they started", func(f FeatureReport) []SpecResult { return f.NotRun }, whole)
	list(
		c,
		&b,
		"Known deviations, declared in the profile and still seen",
		func(f FeatureReport) []SpecResult { return f.Deviations },
		firstLine,
	)
	list(
		c,
		&b,
		"Advisory: every MUST met, rules below MUST broken (not failures, nothing to declare)",
		func(f FeatureReport) []SpecResult { return f.Advisory },
		firstLine,
	)
	list(c, &b, "Not applicable to this implementation (not counted)", func(f FeatureReport) []SpecResult { return f.NotApplicable }, whole)
	list(c, &b, "Skipped", func(f FeatureReport) []SpecResult { return f.Skipped }, whole)
	for _, s := range contents(c) {
		s.Markdown(&b)
	}
	return b.String()
}

// Cell keeps text on one Markdown line, as a table cell.
func Cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", `\|`) }

// PrintTable writes a table of features and results for people reading the run's output.
func PrintTable(c Conformance, w io.Writer) {
	fmt.Fprintf(w, "\nTracing conformance: %s %s in environment %s\n", c.Implementation.Name, c.Implementation.Version, c.Environment)
	if c.Run.Reason != "" {
		fmt.Fprintf(w, "run %s: %s\n", c.Run.Outcome, text.Truncate(text.FirstLine(c.Run.Reason), 160))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEATURE\tRESULT\tPASSED\tADVISORY\tFAILED\tDEVIATIONS\tSKIPPED\tNOTE")
	for _, f := range c.Features {
		note := ""
		switch {
		case len(f.Failed) > 0:
			note = text.FirstLine(f.Failed[0].Reason)
		case len(f.Interrupted) > 0:
			note = text.FirstLine(f.Interrupted[0].Reason)
		case len(f.NotRun) > 0:
			note = fmt.Sprintf("%d spec(s) %s", len(f.NotRun), f.NotRun[0].Reason)
		case len(f.Advisory) > 0:
			note = text.FirstLine(f.Advisory[0].Reason)
		case len(f.Skipped) > 0:
			note = f.Skipped[0].Reason
		}
		s := f.Statistics
		fmt.Fprintf(
			tw,
			"%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n",
			f.Name,
			f.Result,
			s.Passed,
			s.Advisory,
			s.Failed,
			s.Deviations,
			s.Skipped,
			text.Truncate(note, 90),
		)
	}
	tw.Flush()
	for _, s := range contents(c) {
		fmt.Fprintf(w, "%s; the table is in %s and %s\n", s.Summary(), YAMLName, MarkdownName)
	}
	fmt.Fprintln(w, c.Summary)
	fmt.Fprintln(w, "verdict: "+c.Verdict.Reason)
}

// list writes a titled bullet list of the specs of, in every feature, with their reasons.
func list(c Conformance, b *strings.Builder, title string, of func(FeatureReport) []SpecResult, reason func(SpecResult) string) {
	var items []string
	for _, f := range c.Features {
		for _, s := range of(f) {
			items = append(items, fmt.Sprintf("- %s%s: %s", s.Name, idNote(s), Cell(reason(s))))
		}
	}
	if len(items) > 0 {
		fmt.Fprintf(b, "\n%s:\n\n%s\n", title, strings.Join(items, "\n"))
	}
}

// idNote is the spec's ID as the Markdown report shows it after its name: " (`id`)".
func idNote(s SpecResult) string {
	if s.ID == "" {
		return ""
	}
	return " (`" + s.ID + "`)"
}

// orNone lists names, or says none.
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
