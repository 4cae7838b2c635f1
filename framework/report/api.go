package report

import api "github.com/tracegate/tracegate/report/v1alpha5"

// The report's schema lives in its own versioned package (report/v1alpha5); this package
// builds and renders it, under the names it has always used.
type (
	Conformance     = api.ConformanceReport
	Implementation  = api.Implementation
	Standard        = api.Standard
	ProfileFeatures = api.ProfileFeatures
	RunResult       = api.RunResult
	RunVerdict      = api.RunVerdict
	FeatureReport   = api.FeatureReport
	Statistics      = api.Statistics
	SpecResult      = api.SpecResult
	Outcome         = api.Outcome
	Result          = api.Result
)

// APIVersion is the report's schema version (report/v1alpha5.APIVersion).
const APIVersion = api.APIVersion

// The run's outcomes and the features' results, as the schema defines them.
const (
	RunPassed             = api.RunPassed
	RunFailed             = api.RunFailed
	RunSetupFailed        = api.RunSetupFailed
	RunTeardownFailed     = api.RunTeardownFailed
	RunConfigError        = api.RunConfigError
	RunInterrupted        = api.RunInterrupted
	RunTimedOut           = api.RunTimedOut
	RunReportNotWritten   = api.RunReportNotWritten
	Success               = api.Success
	SuccessWithDeviations = api.SuccessWithDeviations
	Deviates              = api.Deviates
	Failure               = api.Failure
	NotApplicable         = api.NotApplicable
	Skipped               = api.Skipped
	NotRun                = api.NotRun
	Interrupted           = api.Interrupted
)

// Outcomes and Results are every outcome and result, in the schema's order.
var (
	Outcomes = api.Outcomes
	Results  = api.Results
)
