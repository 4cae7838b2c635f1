// Package report turns a Ginkgo suite report into a conformance report per tracing feature,
// shaped after the Gateway API ConformanceReport, that says how the run ended on every exit
// path; render.go writes it as YAML, Markdown and a terminal table.
package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/tracegate/tracegate/framework/verdict"
	"github.com/tracegate/tracegate/internal/text"
)

// SuiteVersion is the version of tracegate's specs, reported with every result: the newest
// release of CHANGELOG.md, and the tag it is released as.
const SuiteVersion = "v0.2.0"

// APIVersion is the report's schema version. Bump it whenever a field of the report is added,
// removed, renamed or changes meaning (TestSchemaVersion lists the fields of this version).
const APIVersion = "tracegate.dev/v1alpha2"

// Result is a feature's overall outcome.
type Result string

// The outcomes a feature can have.
const (
	Success Result = "success" // every spec passed
	Partial Result = "partial" // none failed; some passed, others were skipped, partial or known deviations
	Failure Result = "failure" // at least one spec failed, as in the Gateway API conformance report
	Skipped Result = "skipped" // no spec ran, e.g. the profile does not support the feature
	NotRun  Result = "not-run" // the run ended before the feature's specs finished: see Run.Outcome
	// Cut is a feature one of whose specs was running when the run was interrupted or timed
	// out: that spec has no verdict, so neither has the feature.
	Cut Result = "interrupted"
)

// Outcome is how the whole run ended.
type Outcome string

// The ways a run can end.
const (
	Passed      Outcome = "passed"       // every spec that ran passed
	SpecsFailed Outcome = "failed"       // at least one spec failed
	SetupFailed Outcome = "setup-failed" // suite setup failed (gateway start, cluster, build): no spec ran
	ConfigError Outcome = "config-error" // ginkgo.yaml or an E2E_* variable is invalid: nothing started
	Interrupted Outcome = "interrupted"  // stopped by the user (Ctrl-C, SIGTERM)
	TimedOut    Outcome = "timed-out"    // Ginkgo's suite timeout ran out
)

// Conformance is the report written at the end of every run.
type Conformance struct {
	APIVersion     string          `yaml:"apiVersion"`
	Kind           string          `yaml:"kind"`
	Date           string          `yaml:"date"`
	SuiteVersion   string          `yaml:"suiteVersion"`
	Implementation Implementation  `yaml:"implementation"`
	Environment    string          `yaml:"environment"`
	Run            RunResult       `yaml:"run"`
	Summary        string          `yaml:"summary"`
	Features       []FeatureReport `yaml:"features"`
	// Sections are the features' own sections (Feature.Section), such as the semantic-conventions
	// table, by key, after everything else; read back from YAML, each is its decoded YAML.
	Sections map[string]any `yaml:",inline"`
}

// Implementation names what was tested: the profile's name and version, and what the gateway
// itself reported in its spans (scope and SDK version), when any arrived.
type Implementation struct {
	Name         string   `yaml:"name"`
	Organization string   `yaml:"organization,omitempty"`
	Project      string   `yaml:"project,omitempty"`
	URL          string   `yaml:"url,omitempty"`
	Version      string   `yaml:"version"`
	Contact      []string `yaml:"contact,omitempty"`
	Observed     string   `yaml:"observedVersion,omitempty"`
}

// RunResult is how the run ended, why, and how long it took.
type RunResult struct {
	Outcome  Outcome `yaml:"outcome"`
	Reason   string  `yaml:"reason,omitempty"`
	Duration string  `yaml:"duration"`
}

// FeatureReport is one feature's result, counts and every spec with its outcome.
type FeatureReport struct {
	Name       string       `yaml:"name"`
	Result     Result       `yaml:"result"`
	Statistics Statistics   `yaml:"statistics"`
	Failed     []SpecResult `yaml:"failedSpecs,omitempty"`
	Deviations []SpecResult `yaml:"deviations,omitempty"`
	Partial    []SpecResult `yaml:"partialSpecs,omitempty"`
	Skipped    []SpecResult `yaml:"skippedSpecs,omitempty"`
	// Interrupted are the specs that were running when the run was interrupted or timed out;
	// NotRun those the run's filters chose that never started because it ended first.
	Interrupted []SpecResult `yaml:"interruptedSpecs,omitempty"`
	NotRun      []SpecResult `yaml:"notRunSpecs,omitempty"`
	// NotApplicable are rows that do not apply to the implementation (a CLIENT-span check where
	// the profile claims no CLIENT span): neither passed nor a gap in its support.
	NotApplicable []SpecResult `yaml:"notApplicable,omitempty"`
	Passed        []SpecResult `yaml:"passedSpecs,omitempty"`
}

// Statistics counts specs by outcome.
type Statistics struct {
	Passed     int `yaml:"passed"`
	Failed     int `yaml:"failed"`
	Deviations int `yaml:"deviations"` // known deviations the profile declares, still seen
	Partial    int `yaml:"partial"`    // met what is required, not all that is recommended
	Skipped    int `yaml:"skipped"`
	// Interrupted and NotRun count the specs of a run that ended early: cut off while running,
	// or chosen by the filters and never started.
	Interrupted int `yaml:"interrupted,omitempty"`
	NotRun      int `yaml:"notRun,omitempty"`
	// NotApplicable counts rows that do not apply to the implementation; they leave the result
	// as it is.
	NotApplicable int `yaml:"notApplicable,omitempty"`
}

// SpecResult is one spec: its name, how long it ran and, unless it passed, the full reason.
type SpecResult struct {
	// ID is the spec's or table row's stable ID (its id: label), what deviations, skip lists
	// and pages built from reports key it by; "" for a spec without one.
	ID       string `yaml:"id,omitempty"`
	Name     string `yaml:"name"`
	Duration string `yaml:"duration,omitempty"`
	Reason   string `yaml:"reason,omitempty"`
}

// Feature is what the report scores: a feature's name, the Ginkgo label its specs carry and,
// if it has one, its own section of the report.
type Feature struct {
	Name    string
	Label   string
	Section Section
	// Deviable are its specs and table rows a profile may declare a known deviation for
	// (implementations.<name>.deviations.<feature>.<spec or row>); none for the others.
	Deviable []string
}

// Run is what the report says beyond the Ginkgo report: what was tested, where and when.
type Run struct {
	Implementation Implementation
	Environment    string
	Now            time.Time
	// ConfigError is the config error that stopped the run before anything started, if any.
	ConfigError string
}

// Build groups the specs of a Ginkgo report by their feature label and says how the run
// ended. Every feature in features appears, so a feature without any spec is reported as
// skipped (or not run) rather than missing.
func Build(r types.Report, features []Feature, run Run) Conformance {
	c := Conformance{
		APIVersion: APIVersion, Kind: "ConformanceReport",
		Date: run.Now.UTC().Format(time.RFC3339), SuiteVersion: SuiteVersion,
		Implementation: run.Implementation, Environment: run.Environment,
		Run: outcome(r, run.ConfigError),
	}
	c.Run.Duration = r.RunTime.Round(time.Millisecond).String()
	byName := map[string]*FeatureReport{}
	for _, f := range features {
		byName[f.Name] = &FeatureReport{Name: f.Name}
	}
	chosen := newSelection(r)
	for _, spec := range r.SpecReports {
		if spec.LeafNodeType != types.NodeTypeIt {
			continue
		}
		for _, f := range features {
			if slices.Contains(spec.Labels(), f.Label) {
				byName[f.Name].add(spec, c.Run, chosen)
			}
		}
	}
	counts := map[Result]int{}
	for _, name := range sortedKeys(byName) {
		fr := byName[name]
		fr.Result = fr.result(c.Run.Outcome)
		counts[fr.Result]++
		c.Features = append(c.Features, *fr)
	}
	c.Sections = sections(r.SpecReports, features)
	c.Summary = fmt.Sprintf("%s: %d features: %d success, %d partial, %d failure, %d skipped",
		c.Run.Outcome, len(c.Features), counts[Success], counts[Partial], counts[Failure], counts[Skipped])
	deviations := 0
	for _, f := range c.Features {
		deviations += f.Statistics.Deviations
	}
	if deviations > 0 {
		c.Summary += fmt.Sprintf("; %d known deviations", deviations)
	}
	if n := counts[Cut]; n > 0 {
		c.Summary += fmt.Sprintf(", %d interrupted", n)
	}
	if n := counts[NotRun]; n > 0 {
		c.Summary += fmt.Sprintf(", %d not run", n)
	}
	return c
}

// outcome says how the run ended, from Ginkgo's suite-level failure reasons and setup nodes.
func outcome(r types.Report, configError string) RunResult {
	special := strings.Join(r.SpecialSuiteFailureReasons, "; ")
	switch {
	case configError != "":
		return RunResult{Outcome: ConfigError, Reason: configError}
	case strings.Contains(special, "Interrupted"):
		return RunResult{Outcome: Interrupted, Reason: special}
	case strings.Contains(special, "Timeout"):
		return RunResult{Outcome: TimedOut, Reason: special}
	}
	for _, spec := range r.SpecReports {
		if spec.LeafNodeType.Is(types.NodeTypeBeforeSuite|types.NodeTypeSynchronizedBeforeSuite) && spec.State.Is(types.SpecStateFailureStates) {
			return RunResult{Outcome: SetupFailed, Reason: text.StripANSI(strings.TrimSpace(spec.Failure.Message))}
		}
	}
	if len(r.SpecReports.WithLeafNodeType(types.NodeTypeIt).WithState(types.SpecStateFailureStates)) > 0 {
		return RunResult{Outcome: SpecsFailed}
	}
	if !r.SuiteSucceeded && special != "" {
		return RunResult{Outcome: SpecsFailed, Reason: special}
	}
	return RunResult{Outcome: Passed}
}

func (fr *FeatureReport) add(spec types.SpecReport, run RunResult, chosen selection) {
	name, took, id := spec.FullText(), spec.RunTime.Round(time.Millisecond).String(), specID(spec)
	v, ended, err := verdict.Of(spec)
	reason := text.StripANSI(v.Reason)
	switch {
	case cutOff(spec, run.Outcome):
		fr.Statistics.Interrupted++
		reason := text.StripANSI(strings.TrimSpace("interrupted while running: " + spec.Failure.Message))
		fr.Interrupted = append(fr.Interrupted, SpecResult{ID: id, Name: name, Duration: took, Reason: reason})
	case spec.State.Is(types.SpecStateSkipped) && spec.Failure.Message == "" && endedEarly(run.Outcome) && chosen.selected(spec):
		fr.Statistics.NotRun++
		fr.NotRun = append(fr.NotRun, SpecResult{ID: id, Name: name, Reason: notRunReason(run.Outcome)})
	case err != nil: // the suite recorded a verdict the report cannot read: shown, not dropped
		fr.Statistics.Failed++
		fr.Failed = append(fr.Failed, SpecResult{ID: id, Name: name, Duration: took, Reason: err.Error()})
	case ended && v.Kind == verdict.Passed:
		fr.Statistics.Passed++
		fr.Passed = append(fr.Passed, SpecResult{ID: id, Name: name, Duration: took})
	case ended && v.Kind == verdict.Deviation:
		fr.Statistics.Deviations++
		fr.Deviations = append(fr.Deviations, SpecResult{ID: id, Name: name, Duration: took, Reason: reason})
	case ended && v.Kind == verdict.Partial:
		fr.Statistics.Partial++
		fr.Partial = append(fr.Partial, SpecResult{ID: id, Name: name, Duration: took, Reason: reason})
	case ended && v.Kind == verdict.NotApplicable:
		fr.Statistics.NotApplicable++
		fr.NotApplicable = append(fr.NotApplicable, SpecResult{ID: id, Name: name, Reason: reason})
	case spec.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		fr.Statistics.Skipped++
		fr.Skipped = append(fr.Skipped, SpecResult{ID: id, Name: name, Reason: skipReason(spec)})
	default: // failed, panicked, timed out by its own timeout, aborted
		fr.Statistics.Failed++
		reason := text.StripANSI(strings.TrimSpace(spec.State.String() + ": " + spec.Failure.Message))
		fr.Failed = append(fr.Failed, SpecResult{ID: id, Name: name, Duration: took, Reason: reason})
	}
}

// cutOff reports whether spec was running when the run was interrupted (Ctrl-C, SIGTERM, another
// process aborting) or ran out of Ginkgo's suite timeout: it has no verdict of its own.
func cutOff(spec types.SpecReport, run Outcome) bool {
	switch {
	case spec.State.Is(types.SpecStateInterrupted):
		return true
	case spec.State.Is(types.SpecStateTimedout):
		return run == TimedOut && strings.Contains(spec.Failure.Message, "suite timeout")
	}
	return false
}

// endedEarly reports whether the run stopped before every spec it chose could run.
func endedEarly(run Outcome) bool {
	return run == Interrupted || run == TimedOut || run == SetupFailed || run == ConfigError
}

// skipReason is the spec's own skip message or, without one, why it did not run: the run's
// filters left it out.
func skipReason(spec types.SpecReport) string {
	if spec.Failure.Message != "" {
		return text.StripANSI(spec.Failure.Message)
	}
	return "not selected by the label filter or focus"
}

// notRunReason says why a spec the filters chose never started.
func notRunReason(run Outcome) string {
	if run == Interrupted || run == TimedOut {
		return "not run: the run was " + string(run) + " before this spec started"
	}
	return "not run: the run failed before any spec (" + string(run) + ")"
}

// result is the feature's verdict. A real failure stands whatever happened later; a feature
// cut off while one of its specs ran is interrupted, one whose chosen specs did not all start
// is not-run: neither finished, so neither has a verdict of success or partial.
func (fr *FeatureReport) result(run Outcome) Result {
	s := fr.Statistics
	switch {
	case s.Failed > 0:
		return Failure
	case s.Interrupted > 0:
		return Cut
	case s.NotRun > 0:
		return NotRun
	case s.Passed == 0 && (run == SetupFailed || run == ConfigError):
		return NotRun
	case s.Passed == 0 && s.Deviations == 0 && s.Partial == 0:
		return Skipped
	case s.Skipped > 0 || s.Deviations > 0 || s.Partial > 0:
		return Partial
	}
	return Success
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// IDLabelPrefix marks the Ginkgo label that carries a spec's stable ID (features/tracing.ID).
const IDLabelPrefix = "id:"

// specID is the spec's stable ID, from its id: label; "" without one.
func specID(spec types.SpecReport) string {
	for _, l := range spec.Labels() {
		if id, ok := strings.CutPrefix(l, IDLabelPrefix); ok {
			return id
		}
	}
	return ""
}
