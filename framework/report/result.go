package report

import (
	"fmt"
	"strings"
)

// resultOf is the feature's result. A real failure stands whatever happened later; a feature
// cut off while one of its specs ran is interrupted, one whose chosen specs did not all start
// is not-run: neither finished, so neither has a verdict of success.
func resultOf(fr *FeatureReport, run Outcome) Result {
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
