// Package report turns a Ginkgo suite report into a conformance report per tracing feature,
// shaped after the Gateway API ConformanceReport, that says how the run ended on every exit
// path; render.go writes it as YAML, Markdown and a terminal table. The report's types, its
// schema, are package report/v1alpha5 (api.go gives them their names here).
package report

import (
	"cmp"
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

// Feature is what the report scores: a feature's name, the Ginkgo label its specs carry and,
// if it has one, its own section of the report.
type Feature struct {
	Name    string
	Label   string
	Section Section
	// Deviable are its specs and table rows a profile may declare a known deviation for
	// (implementations.<name>.deviations.<feature>.<spec or row>); none for the others.
	Deviable []string
	// Standards are the published standards its specs judge by (their Features left empty):
	// the report lists each once, with the features that judge by it.
	Standards []Standard
}

// Run is what the report says beyond the Ginkgo report: what was tested, where and when.
type Run struct {
	Implementation Implementation
	Environment    string
	Now            time.Time
	// ConfigError is the config error that stopped the run before anything started, if any.
	ConfigError string
	// Claimed are the features the profile claims (implementations.<name>.features); unknown,
	// and so listed neither claimed nor not claimed, when ConfigError is set.
	Claimed []string
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
				add(byName[f.Name], spec, c.Run, chosen)
			}
		}
	}
	for _, name := range sortedKeys(byName) {
		fr := byName[name]
		fr.Result = resultOf(fr, c.Run.Outcome)
		c.Features = append(c.Features, *fr)
	}
	c.Standards, c.ProfileFeatures = standards(features), claims(features, run)
	c.Sections = sections(r.SpecReports, features)
	c.Verdict = verdictOf(c.Run, c.Features)
	c.Summary = summary(c.Run.Outcome, c.Features)
	return c
}

// outcome says how the run ended, from Ginkgo's suite-level failure reasons and setup nodes.
func outcome(r types.Report, configError string) RunResult {
	special := strings.Join(r.SpecialSuiteFailureReasons, "; ")
	switch {
	case configError != "":
		return RunResult{Outcome: RunConfigError, Reason: configError}
	case strings.Contains(special, "Interrupted"):
		return RunResult{Outcome: RunInterrupted, Reason: special}
	case strings.Contains(special, "Timeout"):
		return RunResult{Outcome: RunTimedOut, Reason: special}
	}
	for _, spec := range r.SpecReports {
		if spec.LeafNodeType.Is(types.NodeTypeBeforeSuite|types.NodeTypeSynchronizedBeforeSuite) && spec.State.Is(types.SpecStateFailureStates) {
			return RunResult{Outcome: RunSetupFailed, Reason: text.StripANSI(strings.TrimSpace(spec.Failure.Message))}
		}
	}
	var teardown []string
	for _, spec := range r.SpecReports {
		if spec.LeafNodeType.Is(teardownNodes) && spec.State.Is(types.SpecStateFailureStates) {
			teardown = append(teardown, text.StripANSI(strings.TrimSpace(spec.LeafNodeType.String()+" failed: "+spec.Failure.Message)))
		}
	}
	if len(r.SpecReports.WithLeafNodeType(types.NodeTypeIt).WithState(types.SpecStateFailureStates)) > 0 {
		return RunResult{Outcome: RunFailed, Reason: strings.Join(teardown, "; ")}
	}
	if len(teardown) > 0 {
		return RunResult{Outcome: RunTeardownFailed, Reason: strings.Join(teardown, "; ")}
	}
	if !r.SuiteSucceeded {
		// Ginkgo failed the suite for a reason none of the nodes above shows: never a pass.
		return RunResult{
			Outcome: RunFailed,
			Reason:  cmp.Or(special, "Ginkgo reports that the suite did not succeed, with no failed spec or suite node to say why"),
		}
	}
	return RunResult{Outcome: RunPassed}
}

// teardownNodes are the suite-level nodes that run after the specs: a failure in any of them
// fails the run, though every spec passed.
const teardownNodes = types.NodeTypeAfterSuite | types.NodeTypeSynchronizedAfterSuite | types.NodeTypeCleanupAfterSuite

func add(fr *FeatureReport, spec types.SpecReport, run RunResult, chosen selection) {
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
	case ended && v.Kind == verdict.Advisory:
		fr.Statistics.Advisory++
		fr.Advisory = append(fr.Advisory, SpecResult{ID: id, Name: name, Duration: took, Reason: reason})
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
		return run == RunTimedOut && strings.Contains(spec.Failure.Message, "suite timeout")
	}
	return false
}

// endedEarly reports whether the run stopped before every spec it chose could run.
func endedEarly(run Outcome) bool {
	return run == RunInterrupted || run == RunTimedOut || run == RunSetupFailed || run == RunConfigError
}

// skipReason is the spec's own skip message or, without one, why it did not run: the run's
// filters left it out.
func skipReason(spec types.SpecReport) string {
	if spec.Failure.Message != "" {
		return text.StripANSI(spec.Failure.Message)
	}
	return notSelected
}

// notSelected is the reason of a spec the run's filters left out.
const notSelected = "not selected by the label filter or focus"

// notRunReason says why a spec the filters chose never started.
func notRunReason(run Outcome) string {
	if run == RunInterrupted || run == RunTimedOut {
		return "not run: the run was " + string(run) + " before this spec started"
	}
	return "not run: the run failed before any spec (" + string(run) + ")"
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

// standards lists every standard the features judge by once, in the order the features name
// them, with the features that judge by it.
func standards(features []Feature) []Standard {
	out := []Standard{}
	for _, f := range features {
		for _, s := range f.Standards {
			i := slices.IndexFunc(out, func(o Standard) bool { return o.Name == s.Name && o.Version == s.Version })
			if i < 0 {
				s.Features, i = nil, len(out)
				out = append(out, s)
			}
			out[i].Features = append(out[i].Features, f.Name)
		}
	}
	return out
}

// claims splits the features by the profile's claim; both lists are empty when the config did
// not load, for then the claim is unknown.
func claims(features []Feature, run Run) ProfileFeatures {
	p := ProfileFeatures{Claimed: []string{}, NotClaimed: []string{}}
	if run.ConfigError != "" {
		return p
	}
	for _, f := range features {
		if slices.Contains(run.Claimed, f.Name) {
			p.Claimed = append(p.Claimed, f.Name)
		} else {
			p.NotClaimed = append(p.NotClaimed, f.Name)
		}
	}
	return p
}
