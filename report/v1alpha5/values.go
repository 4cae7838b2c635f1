package v1alpha5

// Outcome is how the whole run ended (run.outcome).
type Outcome string

// The ways a run can end. Only RunPassed is a run whose every suite-level node succeeded.
const (
	RunPassed           Outcome = "passed"             // every spec that ran passed, and so did setup, teardown and the report
	RunFailed           Outcome = "failed"             // at least one spec failed, or Ginkgo failed the suite for another reason
	RunSetupFailed      Outcome = "setup-failed"       // suite setup failed (gateway start, cluster, build): no spec ran
	RunTeardownFailed   Outcome = "teardown-failed"    // an AfterSuite, SynchronizedAfterSuite or suite cleanup failed
	RunConfigError      Outcome = "config-error"       // ginkgo.yaml or an E2E_* variable is invalid: nothing started
	RunInterrupted      Outcome = "interrupted"        // stopped by the user (Ctrl-C, SIGTERM)
	RunTimedOut         Outcome = "timed-out"          // Ginkgo's suite timeout ran out
	RunReportNotWritten Outcome = "report-not-written" // a part of this report could not be written: see RunResult.Reason
)

// Outcomes are every outcome, in the order above.
var Outcomes = []Outcome{
	RunPassed,
	RunFailed,
	RunSetupFailed,
	RunTeardownFailed,
	RunConfigError,
	RunInterrupted,
	RunTimedOut,
	RunReportNotWritten,
}

// Result is a feature's overall result (features[].result), from its specs' verdicts.
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
	// Skipped: no spec ran, e.g. the profile does not claim the feature.
	Skipped Result = "skipped"
	// NotRun: the run ended before the feature's chosen specs all started: see run.outcome.
	NotRun Result = "not-run"
	// Interrupted: one of its specs was running when the run was interrupted or timed out: that
	// spec has no verdict, so neither has the feature.
	Interrupted Result = "interrupted"
)

// Results are every result, in the order the summary counts them.
var Results = []Result{Success, SuccessWithDeviations, Deviates, Failure, NotApplicable, Skipped, NotRun, Interrupted}
