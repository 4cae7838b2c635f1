package tracing

import "fmt"

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
