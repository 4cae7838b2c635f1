// Package verdict is how a spec says it ended other than passed or failed (advisory, a declared
// deviation, not applicable), with the reason, as a typed Ginkgo report entry the report
// reads. Its kinds are the words the report (framework/report) uses for a spec.
package verdict

import (
	"encoding/json"
	"fmt"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Kind is how a spec ended, as the conformance report counts it.
type Kind string

// The kinds of verdict a spec records. Passed needs no entry: a spec that passes has it.
const (
	Passed Kind = "passed"
	// Advisory: every requirement (MUST, a required attribute) the spec checks is met, and what
	// it broke is below MUST: a SHOULD, a MAY, what the W3C harness expects beyond the spec, a
	// recommended attribute. It counts as passed, is never a deviation to declare, and the report
	// lists what was broken.
	Advisory Kind = "advisory"
	// Deviation: the spec failed as the implementation profile declares it does.
	Deviation Kind = "deviation"
	// NotApplicable: the spec does not apply to the implementation, such as a check of the
	// CLIENT span where the profile claims none.
	NotApplicable Kind = "not-applicable"
)

// recorded are the kinds a spec records with End.
var recorded = []Kind{Advisory, Deviation, NotApplicable}

// Verdict is a spec's outcome and why.
type Verdict struct {
	Kind   Kind   `json:"kind"`
	Reason string `json:"reason"`
}

// EntryName names the Ginkgo report entry (AddReportEntry) whose value is a Verdict.
const EntryName = "tracegate-verdict"

// End records the verdict of kind with its reason in the running spec's report and ends the spec
// there, as a skip whose message says the same ("deviation: ..."), for Ginkgo's own output.
func End(kind Kind, reason string) {
	AddReportEntry(EntryName, Verdict{Kind: kind, Reason: reason}, ReportEntryVisibilityNever)
	Skip(string(kind) + ": " + reason)
}

// Of is spec's verdict: Passed for a spec that passed, the verdict it recorded for a spec that
// ended with one. ok is false for every other spec: failed, skipped for another reason, or not
// run; Ginkgo's state says which. An entry that does not decode is an error: a bug of the suite.
func Of(spec types.SpecReport) (v Verdict, ok bool, err error) {
	if spec.State.Is(types.SpecStatePassed) {
		return Verdict{Kind: Passed}, true, nil
	}
	if !spec.State.Is(types.SpecStateSkipped) {
		return Verdict{}, false, nil
	}
	for _, entry := range spec.ReportEntries {
		if entry.Name != EntryName {
			continue
		}
		// The value is the Verdict itself in this process, and decoded JSON from a parallel
		// process: both go through JSON.
		data, err := json.Marshal(entry.Value.GetRawValue())
		if err == nil {
			err = json.Unmarshal(data, &v)
		}
		if err == nil && !slices.Contains(recorded, v.Kind) {
			err = fmt.Errorf("unknown kind %q, want one of %v", v.Kind, recorded)
		}
		if err != nil {
			return Verdict{}, false, fmt.Errorf("report entry %q of %q is not a verdict: %w", EntryName, spec.FullText(), err)
		}
		return v, true, nil
	}
	return Verdict{}, false, nil
}
