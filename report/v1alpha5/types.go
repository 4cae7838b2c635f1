// Package v1alpha5 is the conformance report's schema, version tracegate.dev/v1alpha5: the types
// conformance.yaml decodes into, with yaml and json tags, for anyone who reads or checks a report.
package v1alpha5

// APIVersion is the report's schema version: this package's. A change to a field (added,
// removed, renamed or given another meaning) is a new version and a new package
// (framework/report's TestSchemaVersion lists the fields of each version).
const APIVersion = "tracegate.dev/v1alpha5"

// Kind is the report's kind.
const Kind = "ConformanceReport"

// ConformanceReport is the report written at the end of every run (conformance.yaml).
type ConformanceReport struct {
	APIVersion string `yaml:"apiVersion" json:"apiVersion"`
	Kind       string `yaml:"kind" json:"kind"`
	// Date is when the report was written, RFC 3339, UTC.
	Date string `yaml:"date" json:"date"`
	// SuiteVersion is the release of tracegate's specs (its CHANGELOG and git tag).
	SuiteVersion   string         `yaml:"suiteVersion" json:"suiteVersion"`
	Implementation Implementation `yaml:"implementation" json:"implementation"`
	// Environment is the ginkgo.yaml environment the run used (envoy, kwok, existing, ...).
	Environment string `yaml:"environment" json:"environment"`
	// Standards are the published standards the suite judges by, at the versions it follows.
	Standards []Standard `yaml:"standards" json:"standards"`
	// ProfileFeatures are the suite's features the implementation's profile claims, and those it
	// does not.
	ProfileFeatures ProfileFeatures `yaml:"profileFeatures" json:"profileFeatures"`
	Run             RunResult       `yaml:"run" json:"run"`
	// Verdict is the run's one claim: conformant or not, and for which features.
	Verdict  RunVerdict      `yaml:"verdict" json:"verdict"`
	Summary  string          `yaml:"summary" json:"summary"`
	Features []FeatureReport `yaml:"features" json:"features"`
	// Sections are the features' own sections, such as semanticConventions (the attribute
	// table) and sampling, by key; their shape is the feature's.
	Sections map[string]any `yaml:"sections,omitempty" json:"sections,omitempty"`
}

// Implementation names what was tested: the profile's name and version, and what the gateway
// itself reported in its spans (scope and SDK version), when any arrived.
type Implementation struct {
	Name         string   `yaml:"name" json:"name"`
	Organization string   `yaml:"organization,omitempty" json:"organization,omitempty"`
	Project      string   `yaml:"project,omitempty" json:"project,omitempty"`
	URL          string   `yaml:"url,omitempty" json:"url,omitempty"`
	Version      string   `yaml:"version" json:"version"`
	Contact      []string `yaml:"contact,omitempty" json:"contact,omitempty"`
	Observed     string   `yaml:"observedVersion,omitempty" json:"observedVersion,omitempty"`
}

// Standard is a published standard the suite judges by, the version it follows, and the
// features whose specs judge by it.
type Standard struct {
	Name     string   `yaml:"name" json:"name"`
	Version  string   `yaml:"version" json:"version"`
	URL      string   `yaml:"url" json:"url"`
	Features []string `yaml:"features" json:"features"`
}

// ProfileFeatures are the suite's features split by the profile's claim
// (implementations.<name>.features): the specs of those not claimed are skipped.
type ProfileFeatures struct {
	Claimed    []string `yaml:"claimed" json:"claimed"`
	NotClaimed []string `yaml:"notClaimed" json:"notClaimed"`
}

// RunResult is how the run ended, why, and how long it took.
type RunResult struct {
	Outcome  Outcome `yaml:"outcome" json:"outcome"`
	Reason   string  `yaml:"reason,omitempty" json:"reason,omitempty"`
	Duration string  `yaml:"duration" json:"duration"`
}

// RunVerdict is the run's one claim, as Gateway API's conformance report makes one per profile:
// whether the implementation is conformant, and for which features.
type RunVerdict struct {
	// Conformant: the run passed, no feature failed or deviates, and the run's filters left no
	// spec out.
	Conformant bool `yaml:"conformant" json:"conformant"`
	// Features are those whose every spec that ran passed (result success).
	Features []string `yaml:"features,omitempty" json:"features,omitempty"`
	// FeaturesWithDeviations passed except for the deviations the profile declares
	// (result success-with-deviations).
	FeaturesWithDeviations []string `yaml:"featuresWithDeviations,omitempty" json:"featuresWithDeviations,omitempty"`
	// NotConformant are the features that failed, deviate, or were interrupted or not run.
	NotConformant []string `yaml:"notConformant,omitempty" json:"notConformant,omitempty"`
	// Reason says what the claim rests on, or why there is none.
	Reason string `yaml:"reason" json:"reason"`
}

// FeatureReport is one feature's result, counts and every spec with its outcome.
type FeatureReport struct {
	Name       string       `yaml:"name" json:"name"`
	Result     Result       `yaml:"result" json:"result"`
	Statistics Statistics   `yaml:"statistics" json:"statistics"`
	Failed     []SpecResult `yaml:"failedSpecs,omitempty" json:"failedSpecs,omitempty"`
	Deviations []SpecResult `yaml:"deviations,omitempty" json:"deviations,omitempty"`
	// Advisory met every requirement (MUST) they check and broke only rules below it (SHOULD,
	// MAY, what the W3C harness expects, a recommended attribute): they count as passed, and
	// their reasons list the rules broken.
	Advisory []SpecResult `yaml:"advisorySpecs,omitempty" json:"advisorySpecs,omitempty"`
	Skipped  []SpecResult `yaml:"skippedSpecs,omitempty" json:"skippedSpecs,omitempty"`
	// Interrupted are the specs that were running when the run was interrupted or timed out;
	// NotRun those the run's filters chose that never started because it ended first.
	Interrupted []SpecResult `yaml:"interruptedSpecs,omitempty" json:"interruptedSpecs,omitempty"`
	NotRun      []SpecResult `yaml:"notRunSpecs,omitempty" json:"notRunSpecs,omitempty"`
	// NotApplicable are rows that do not apply to the implementation (a CLIENT-span check where
	// the profile claims no CLIENT span): neither passed nor a gap in its support.
	NotApplicable []SpecResult `yaml:"notApplicable,omitempty" json:"notApplicable,omitempty"`
	Passed        []SpecResult `yaml:"passedSpecs,omitempty" json:"passedSpecs,omitempty"`
}

// Statistics counts specs by outcome.
type Statistics struct {
	Passed     int `yaml:"passed" json:"passed"`
	Failed     int `yaml:"failed" json:"failed"`
	Deviations int `yaml:"deviations" json:"deviations"` // known deviations the profile declares, still seen
	Advisory   int `yaml:"advisory" json:"advisory"`     // met every MUST, broke only rules below it
	Skipped    int `yaml:"skipped" json:"skipped"`
	// Interrupted and NotRun count the specs of a run that ended early: cut off while running,
	// or chosen by the filters and never started.
	Interrupted int `yaml:"interrupted,omitempty" json:"interrupted,omitempty"`
	NotRun      int `yaml:"notRun,omitempty" json:"notRun,omitempty"`
	// NotApplicable counts rows that do not apply to the implementation; they leave the result
	// as it is.
	NotApplicable int `yaml:"notApplicable,omitempty" json:"notApplicable,omitempty"`
}

// SpecResult is one spec: its name, how long it ran and, unless it passed, the full reason.
type SpecResult struct {
	// ID is the spec's or table row's stable ID (its id: label), what deviations, skip lists
	// and pages built from reports key it by; "" for a spec without one.
	ID       string `yaml:"id,omitempty" json:"id,omitempty"`
	Name     string `yaml:"name" json:"name"`
	Duration string `yaml:"duration,omitempty" json:"duration,omitempty"`
	Reason   string `yaml:"reason,omitempty" json:"reason,omitempty"`
}
