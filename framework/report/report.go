// Package report turns a Ginkgo suite report into a conformance report per tracing feature,
// modelled on the Gateway API ConformanceReport, and a summary table for the terminal.
package report

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/onsi/ginkgo/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/internal/text"
)

// SuiteVersion is the version of tracegate's specs, reported with every result.
const SuiteVersion = "v0.1.0"

// Result is a feature's overall outcome.
type Result string

// The outcomes a feature can have.
const (
	Success Result = "success" // every spec passed
	Partial Result = "partial" // none failed, some passed and some were skipped
	Failure Result = "failure" // at least one spec failed, as in the Gateway API conformance report
	Skipped Result = "skipped" // no spec ran, e.g. the profile does not support the feature
)

// Conformance is the report written at the end of every run.
type Conformance struct {
	APIVersion     string          `yaml:"apiVersion"`
	Kind           string          `yaml:"kind"`
	Date           string          `yaml:"date"`
	SuiteVersion   string          `yaml:"suiteVersion"`
	Implementation Implementation  `yaml:"implementation"`
	Environment    string          `yaml:"environment"`
	Summary        string          `yaml:"summary"`
	Features       []FeatureReport `yaml:"features"`
}

// Implementation names what was tested.
type Implementation struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
}

// FeatureReport is one feature's result, counts and the specs that did not pass.
type FeatureReport struct {
	Name       string       `yaml:"name"`
	Result     Result       `yaml:"result"`
	Statistics Statistics   `yaml:"statistics"`
	Failed     []SpecResult `yaml:"failedSpecs,omitempty"`
	Skipped    []SpecResult `yaml:"skippedSpecs,omitempty"`
}

// Statistics counts specs by outcome.
type Statistics struct {
	Passed  int `yaml:"passed"`
	Failed  int `yaml:"failed"`
	Skipped int `yaml:"skipped"`
}

// SpecResult names a spec and why it failed or was skipped.
type SpecResult struct {
	Name   string `yaml:"name"`
	Reason string `yaml:"reason"`
}

// Feature is what the report scores: a feature's name and the Ginkgo label its specs carry.
type Feature struct {
	Name  string
	Label string
}

// Build groups the specs of a Ginkgo report by their feature label. Every feature in features
// appears, so a feature without any spec is reported as skipped rather than missing.
func Build(r types.Report, features []Feature, impl Implementation, env string, now time.Time) Conformance {
	byName := map[string]*FeatureReport{}
	for _, f := range features {
		byName[f.Name] = &FeatureReport{Name: f.Name}
	}
	for _, spec := range r.SpecReports {
		if spec.LeafNodeType != types.NodeTypeIt {
			continue
		}
		for _, f := range features {
			if slices.Contains(spec.Labels(), f.Label) {
				byName[f.Name].add(spec)
			}
		}
	}
	c := Conformance{
		APIVersion: "tracegate.dev/v1alpha1", Kind: "ConformanceReport",
		Date: now.UTC().Format(time.RFC3339), SuiteVersion: SuiteVersion,
		Implementation: impl, Environment: env,
	}
	var counts = map[Result]int{}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		fr := byName[name]
		fr.Result = fr.result()
		counts[fr.Result]++
		c.Features = append(c.Features, *fr)
	}
	c.Summary = fmt.Sprintf("%d features: %d success, %d partial, %d failure, %d skipped",
		len(c.Features), counts[Success], counts[Partial], counts[Failure], counts[Skipped])
	return c
}

func (fr *FeatureReport) add(spec types.SpecReport) {
	name := spec.FullText()
	switch {
	case spec.State.Is(types.SpecStatePassed):
		fr.Statistics.Passed++
	case spec.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		fr.Statistics.Skipped++
		reason := spec.Failure.Message
		if reason == "" {
			reason = "not selected by the label filter or focus"
		}
		fr.Skipped = append(fr.Skipped, SpecResult{Name: name, Reason: reason})
	default: // failed, panicked, timed out, interrupted, aborted
		fr.Statistics.Failed++
		fr.Failed = append(fr.Failed, SpecResult{Name: name, Reason: text.FirstLine(spec.State.String() + ": " + spec.Failure.Message)})
	}
}

func (fr *FeatureReport) result() Result {
	s := fr.Statistics
	switch {
	case s.Failed > 0:
		return Failure
	case s.Passed == 0:
		return Skipped
	case s.Skipped > 0:
		return Partial
	}
	return Success
}

// Write stores the report as YAML.
func (c Conformance) Write(path string) error {
	data, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// PrintTable writes a table of features and results for people reading the run's output.
func (c Conformance) PrintTable(w io.Writer) {
	fmt.Fprintf(w, "\nTracing conformance: %s %s in environment %s\n", c.Implementation.Name, c.Implementation.Version, c.Environment)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEATURE\tRESULT\tPASSED\tFAILED\tSKIPPED\tNOTE")
	for _, f := range c.Features {
		note := ""
		switch {
		case len(f.Failed) > 0:
			note = f.Failed[0].Reason
		case len(f.Skipped) > 0:
			note = f.Skipped[0].Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", f.Name, f.Result, f.Statistics.Passed, f.Statistics.Failed, f.Statistics.Skipped, text.Truncate(note, 90))
	}
	tw.Flush()
	fmt.Fprintln(w, c.Summary)
}
