package tracing

import (
	"fmt"
	"slices"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/report"
)

// TraceContextStandard is the W3C recommendation TraceContext, TraceState and Propagation judge
// by: Trace Context Level 2 (traceparent version 00, the sampled and random flags, tracestate).
var TraceContextStandard = report.Standard{Name: "W3C Trace Context", Version: "Level 2", URL: "https://www.w3.org/TR/trace-context-2/"}

// level is how strongly W3C Trace Context asks for what a rule checks: the keyword of the
// sentence it comes from (RFC 2119), or, where the W3C harness (test/test.py) is stricter than
// the recommendation, that the harness expects it. A row states the level of its own rule
// (contextVector.level) and every rule's failure says its level.
type level string

const (
	must    level = "MUST"
	should  level = "SHOULD"
	may     level = "MAY"
	harness level = "the W3C harness expects"
)

// levels are the levels a row or rule may state.
var levels = []level{must, should, may, harness}

// orMust is the level, MUST where none was stated.
func (l level) orMust() level {
	if l == "" {
		return must
	}
	return l
}

// LevelEntryName names the Ginkgo report entry (AddReportEntry) whose value is a TraceContext
// row's level, as a string.
const LevelEntryName = "tracegate-w3c-level"

// at returns the rule at level l.
func (r contextRule) at(l level) contextRule { r.level = l; return r }

// rowLevel says the row's level in its failure.
func rowLevel(v contextVector) string {
	return fmt.Sprintf("W3C trace context row %q, level %s", v.name, v.level.orMust())
}

// belowMust: the level asks for less than MUST (SHOULD, MAY, what the W3C harness expects). An
// empty or unknown level is MUST: never below it.
func (l level) belowMust() bool { return l == should || l == may || l == harness }

// advisory: there are differences and every one breaks a rule below MUST (its Level): a row
// that shows only these ends advisory (conformOrDeviate). A difference that states no level is a
// MUST.
func advisory(diffs []difference.Difference) bool {
	return len(diffs) > 0 && !slices.ContainsFunc(diffs, func(d difference.Difference) bool { return !level(d.Level).belowMust() })
}
