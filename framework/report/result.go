package report

import (
	"fmt"
	"strings"
)

// Result is a feature's overall result, from its specs' verdicts (framework/verdict).
type Result string

// The results a feature can have. An advisory spec (every MUST met, a rule below MUST broken)
// counts as passed, so a feature of passed and advisory specs, or of advisory specs alone, is a
// success; a not-applicable row counts for nothing.
const (
	// Success: at least one spec passed, and every other that ran passed too.
	Success Result = "success"
	// SuccessWithDeviations: at least one spec passed, every other was a declared deviation
	// the failure matched.
	SuccessWithDeviations Result = "success-with-deviations"
	// Deviates: no spec passed, and every one that ran was a declared deviation.
	Deviates Result = "deviates"
	// Failure: at least one spec failed, as in the Gateway API conformance report.
	Failure Result = "failure"
	// NotApplicable: every spec that ran ended not applicable to the implementation.
	NotApplicable Result = "not-applicable"
	// Skipped: no spec ran, e.g. the profile does not support the feature.
	Skipped Result = "skipped"
	// NotRun: the run ended before the feature's chosen specs all started: see Run.Outcome.
	NotRun Result = "not-run"
	// Interrupted: one of its specs was running when the run was interrupted or timed out: that
	// spec has no verdict, so neither has the feature.
	Interrupted Result = "interrupted"
)

// Results are every result, in the order the summary counts them.
var Results = []Result{Success, SuccessWithDeviations, Deviates, Failure, NotApplicable, Skipped, NotRun, Interrupted}

// result is the feature's result. A real failure stands whatever happened later; a feature
// cut off while one of its specs ran is interrupted, one whose chosen specs did not all start
// is not-run: neither finished, so neither has a verdict of success.
func (fr *FeatureReport) result(run Outcome) Result {
	s := fr.Statistics
	passed := s.Passed + s.Advisory
	switch {
	case s.Failed > 0:
		return Failure
	case s.Interrupted > 0:
		return Interrupted
	case s.NotRun > 0:
		return NotRun
	case passed == 0 && (run == RunSetupFailed || run == RunConfigError):
		return NotRun
	case passed > 0 && s.Deviations > 0:
		return SuccessWithDeviations
	case passed > 0:
		return Success
	case s.Deviations > 0:
		return Deviates
	case s.NotApplicable > 0 && s.Skipped == 0:
		return NotApplicable
	}
	return Skipped
}

// RunVerdict is the run's one claim, as Gateway API's conformance report makes one per profile:
// whether the implementation is conformant, and for which features.
type RunVerdict struct {
	// Conformant: the run passed, no feature failed or deviates, and the run's filters left no
	// spec out.
	Conformant bool `yaml:"conformant"`
	// Features are those whose every spec that ran passed (result success).
	Features []string `yaml:"features,omitempty"`
	// FeaturesWithDeviations passed except for the deviations the profile declares
	// (result success-with-deviations).
	FeaturesWithDeviations []string `yaml:"featuresWithDeviations,omitempty"`
	// NotConformant are the features that failed, deviate, or were interrupted or not run.
	NotConformant []string `yaml:"notConformant,omitempty"`
	// Reason says what the claim rests on, or why there is none.
	Reason string `yaml:"reason"`
}

// verdictOf is the run's claim from how it ended and its features' results.
func verdictOf(run RunResult, features []FeatureReport) RunVerdict {
	var v RunVerdict
	filtered := 0
	for _, f := range features {
		switch f.Result {
		case Success:
			v.Features = append(v.Features, f.Name)
		case SuccessWithDeviations:
			v.FeaturesWithDeviations = append(v.FeaturesWithDeviations, f.Name)
		case Failure, Deviates, Interrupted, NotRun:
			v.NotConformant = append(v.NotConformant, fmt.Sprintf("%s (%s)", f.Name, f.Result))
		}
		for _, s := range f.Skipped {
			if s.Reason == notSelected {
				filtered++
			}
		}
	}
	claimed := len(v.Features) + len(v.FeaturesWithDeviations)
	switch {
	case run.Outcome != RunPassed:
		v.Reason = fmt.Sprintf("not conformant: the run ended %s", run.Outcome)
	case len(v.NotConformant) > 0:
		v.Reason = "not conformant: " + strings.Join(v.NotConformant, ", ")
	case filtered > 0:
		v.Reason = fmt.Sprintf("no claim: the run's label filter or focus left %d spec(s) out", filtered)
	case claimed == 0:
		v.Reason = "no claim: no feature had a spec that passed"
	default:
		v.Conformant = true
		v.Reason = fmt.Sprintf("conformant for %d feature(s)", claimed)
		if n := len(v.FeaturesWithDeviations); n > 0 {
			v.Reason += fmt.Sprintf(", %d of them with the deviations the profile declares", n)
		}
	}
	return v
}

// summary is one line: how the run ended and how many features had each result.
func summary(run Outcome, features []FeatureReport) string {
	counts := map[Result]int{}
	deviations, advisory := 0, 0
	for _, f := range features {
		counts[f.Result]++
		deviations += f.Statistics.Deviations
		advisory += f.Statistics.Advisory
	}
	parts := []string{}
	for _, r := range Results {
		if n := counts[r]; n > 0 || r == Success || r == Failure {
			parts = append(parts, fmt.Sprintf("%d %s", n, r))
		}
	}
	out := fmt.Sprintf("%s: %d features: %s", run, len(features), strings.Join(parts, ", "))
	if deviations > 0 {
		out += fmt.Sprintf("; %d known deviations", deviations)
	}
	if advisory > 0 {
		out += fmt.Sprintf("; %d advisory (rules below MUST broken)", advisory)
	}
	return out
}
