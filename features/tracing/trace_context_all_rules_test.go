package tracing

import (
	"net/http"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/request"
)

var (
	ctxCaller = request.TraceParent{TraceID: "0af7651916cd43dd8448eb211c80319c", ParentID: "b7ad6b7169203331", Sampled: true}
	ctxOther  = request.TraceParent{TraceID: "11111111111111111111111111111111", ParentID: "2222222222222222", Sampled: false}
)

// vectorNamed is the TraceContext row of that name.
func vectorNamed(t *testing.T, name string) contextVector {
	t.Helper()
	for _, v := range contextVectors {
		if v.name == name {
			return v
		}
	}
	t.Fatalf("no TraceContext row %q", name)
	return contextVector{}
}

// rowFailure is the failure of the row's check of what the upstream received (got), as the
// TraceContext body makes it.
func rowFailure(t *testing.T, name string, got http.Header) difference.Failure {
	t.Helper()
	return rowFailureOf(t, name, vectorNamed(t, name).headers(ctxCaller), got)
}

// rowFailureOf is rowFailure for the headers the caller sent (a row's random parts included).
func rowFailureOf(t *testing.T, name string, sent []header, got http.Header) difference.Failure {
	t.Helper()
	RegisterTestingT(t)
	v := vectorNamed(t, name)
	rsp := upstreamGot(t, got)
	f := difference.Intercept(func() { v.checkUpstream(rsp, ctxCaller, sent)() })
	if f == nil {
		t.Fatalf("%q: the upstream's headers %v met every rule", name, got)
	}
	return *f
}

const flagsRow = "unknown trace-flags bits are ignored and the sampled bit kept"

// otelgoFlags is the opentelemetry-go set's declaration of flagsRow (ginkgo.yaml).
var otelgoFlags = config.Deviation{
	Seen:   []string{"seen: the gateway started a new trace"},
	Reason: "its tracer (OpenTelemetry Go) rejects version 00 flags above 02, such as 09, and starts a new trace",
	Source: "deviationSets.opentelemetry-go.TraceContext in ginkgo.yaml",
}

// A gateway that starts a new trace, unsampled, where the caller's sampled trace must go on
// breaks two of the row's rules: the failure shows and lists both, not only the first.
func TestTraceContextRowReportsEveryBrokenRule(t *testing.T) {
	f := rowFailure(t, flagsRow, http.Header{"Traceparent": {ctxOther.String()}})
	if !f.Listed || len(f.Differences) != 2 {
		t.Fatalf("the failure lists %+v, want the two broken rules", f.Differences)
	}
	for i, want := range []string{
		"seen: the gateway started a new trace, " + ctxOther.TraceID,
		"seen: the upstream's traceparent is not sampled",
	} {
		if got := f.Differences[i].String(); !strings.Contains(got, "Expected, by W3C trace context ("+[]string{"MUST", "SHOULD"}[i]+"): ") ||
			!strings.Contains(got, want) {
			t.Errorf("difference %d reads %q, want the rule and %q", i, got, want)
		}
		if !strings.Contains(f.Message, want) {
			t.Errorf("the failure does not show %q:\n%s", want, f.Message)
		}
	}
	if want := `W3C trace context row "` + flagsRow + `", level MUST`; !strings.HasPrefix(f.Message, want) {
		t.Errorf("the failure does not start with the row's level %q:\n%s", want, f.Message)
	}
	if !strings.Contains(f.Message, "Received by the upstream: GET /trace/context") {
		t.Errorf("the failure does not say what the upstream received:\n%s", f.Message)
	}
}

// A declaration naming the first broken rule only does not make the row a deviation: it fails,
// naming the later rule the declaration does not account for.
func TestTraceContextDeclarationOfOneOfTwoBrokenRulesFails(t *testing.T) {
	f := rowFailure(t, flagsRow, http.Header{"Traceparent": {ctxOther.String()}})
	wrong := judge(flagsRow, otelgoFlags, f)
	for _, want := range []string{
		`failed, but not as deviationSets.opentelemetry-go.TraceContext in ginkgo.yaml declares`,
		"the failure also shows 1 difference(s) the declaration does not",
		"seen: the upstream's traceparent is not sampled",
	} {
		if !strings.Contains(wrong, want) {
			t.Errorf("the failure lacks %q:\n%s", want, wrong)
		}
	}
	// Only the declared rule broken: the declared deviation.
	declared := request.TraceParent{TraceID: ctxOther.TraceID, ParentID: ctxOther.ParentID, Sampled: true}
	if wrong := judge(flagsRow, otelgoFlags, rowFailure(t, flagsRow, http.Header{"Traceparent": {declared.String()}})); wrong != "" {
		t.Errorf("the declared rule alone is the deviation, but: %s", wrong)
	}
}

const unparsedStateRow = "a tracestate without a valid traceparent is not forwarded"

// The rules that read the upstream's traceparent wait on its parsing: an invalid traceparent is
// one difference (not one more per rule reading it), and the tracestate rule is judged anyway.
func TestTraceContextRulesReadingAnInvalidTraceParentAreNotJudged(t *testing.T) {
	v := vectorNamed(t, unparsedStateRow)
	invalid := v.headers(ctxCaller)[0].value
	f := rowFailure(t, unparsedStateRow, http.Header{"Traceparent": {invalid}, "Tracestate": {"foo=1"}})
	if len(f.Differences) != 2 {
		t.Fatalf("the failure lists %+v, want the invalid traceparent and the tracestate", f.Differences)
	}
	for _, want := range []string{
		"seen: the upstream received the caller's invalid traceparent unchanged",
		`seen: the upstream received tracestate ["foo=1"]`,
		"Not judged without a valid traceparent at the upstream: an invalid traceparent is ignored as a whole",
	} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("the failure lacks %q:\n%s", want, f.Message)
		}
	}
	// A rule alone still reports the upstream's traceparent it cannot read.
	if msg := startsNewTrace(ctxCaller, nil).FailureMessage(upstreamGot(t, http.Header{
		"Traceparent": {invalid},
	})); !strings.Contains(msg, "seen: ") {
		t.Errorf("a rule reading an invalid traceparent alone: %s", msg)
	}
}
