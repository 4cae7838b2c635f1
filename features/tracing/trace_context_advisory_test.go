package tracing

import (
	"net/http"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/request"
)

// judgedRow runs a row's check of what the upstream received (got) as the TraceContext body does:
// now is the failure checkUpstream fails with at once, later the one of the check it leaves for
// after the span (nil where none).
func judgedRow(t *testing.T, name string, got http.Header) (now, later *difference.Failure) {
	t.Helper()
	RegisterTestingT(t)
	v := vectorNamed(t, name)
	rsp := upstreamGot(t, got)
	judgeLater := func() {}
	now = difference.Intercept(func() { judgeLater = v.checkUpstream(rsp, ctxCaller, v.headers(ctxCaller)) })
	later = difference.Intercept(judgeLater)
	return now, later
}

// continuedBy is the traceparent of a gateway that continued the caller's sampled trace.
var continuedBy = request.TraceParent{TraceID: ctxCaller.TraceID, ParentID: ctxOther.ParentID, Sampled: true}.String()

// A gateway that keeps the valid members of a tracestate the W3C harness wants discarded (the
// spec says a vendor MAY discard it) breaks no MUST: the row's failure waits for the span check,
// then lists only rules below MUST, so the row is advisory, and its reason names the rule.
func TestTraceStateRowsBrokenBelowMustAreAdvisory(t *testing.T) {
	for name, state := range map[string]string{
		"a tracestate of 33 members is discarded":         strings.Join(members33, ","),
		"a tracestate key of 257 characters is discarded": "foo=1," + key256 + "z=1",
		"an empty tracestate value is discarded":          "foo=,bar=3",
	} {
		now, later := judgedRow(t, name, http.Header{"Traceparent": {continuedBy}, "Tracestate": {state}})
		if now != nil {
			t.Errorf("%q: failed before the span was checked: %s", name, now.Message)
			continue
		}
		if later == nil || !later.Listed || !advisory(later.Differences) {
			t.Errorf("%q: the failure after the span check is %+v, want one listing only rules below MUST", name, later)
			continue
		}
		reason := advisoryReason(*later)
		if first, _, _ := strings.Cut(reason, "\n"); !strings.HasPrefix(first, "broke only rules below MUST: the W3C harness expects: ") ||
			!strings.Contains(first, "seen: the upstream received tracestate") {
			t.Errorf("%q: the advisory reason's first line is %q, want the rule, its level and what was seen", name, first)
		}
	}
}

// The same row where the gateway also broke a MUST (it started a new trace) fails at once and is
// never advisory.
func TestARowBreakingAMustIsNeverAdvisory(t *testing.T) {
	const name = "a tracestate of 33 members is discarded"
	now, _ := judgedRow(t, name, http.Header{"Traceparent": {ctxOther.String()}, "Tracestate": {strings.Join(members33, ",")}})
	if now == nil || advisory(now.Differences) {
		t.Fatalf("%q: a new trace and the tracestate kept: %+v, want a failure at once with a MUST among its differences", name, now)
	}
	if advisory(nil) || advisory([]difference.Difference{{Shown: "a span difference, no level"}}) {
		t.Error("no difference, or one that states no level (a MUST), is advisory")
	}
}

// A gateway that forwards an invalid traceparent unchanged breaks only a SHOULD (it should send a
// new one), but the MUST that it start a new trace cannot be judged without a valid traceparent:
// the SHOULD counts as a MUST, and the row is not advisory.
func TestARuleThatLeavesAMustUnjudgedCountsAsAMust(t *testing.T) {
	const name = "version 00 with extra fields is invalid"
	invalid := vectorNamed(t, name).headers(ctxCaller)[0].value
	now, _ := judgedRow(t, name, http.Header{"Traceparent": {invalid}})
	if now == nil || advisory(now.Differences) {
		t.Fatalf("%q: the invalid traceparent forwarded: %+v, want a failure at once, not advisory", name, now)
	}
	d := now.Differences[0]
	if d.Level != string(must) || !strings.Contains(d.Shown, "(SHOULD, counted as MUST: it leaves MUST rules not judged)") ||
		!strings.Contains(d.Shown, "seen: the upstream received the caller's invalid traceparent unchanged") {
		t.Errorf("the difference is %+v, want the SHOULD counted as a MUST, saying why and what was seen", d)
	}
	// Where the rules it leaves unjudged are all below MUST, it keeps its level.
	should := contextRules{upstreamGetsValidTraceParent(nil).at(should), keepsSampled(true)}
	if broken, _ := should.judge(upstreamGot(t, http.Header{"Traceparent": {invalid}})); !advisory(broken) {
		t.Errorf("only rules below MUST, one of them not judged: %+v, want advisory", broken)
	}
}
