package tracing

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/request"
)

// upstreamGot is a response whose upstream received these headers.
func upstreamGot(t *testing.T, h http.Header) *request.Response {
	t.Helper()
	body, err := json.Marshal(echo.Record{Method: "GET", Path: "/trace/context", Headers: h})
	if err != nil {
		t.Fatal(err)
	}
	return &request.Response{Status: http.StatusOK, Body: body}
}

// Each rule's failure names the rule and says what the upstream received: what a declared
// deviation quotes.
func TestContextRulesSayWhatWasSeen(t *testing.T) {
	caller := request.TraceParent{TraceID: "0af7651916cd43dd8448eb211c80319c", ParentID: "b7ad6b7169203331", Sampled: true}
	other := request.TraceParent{TraceID: "11111111111111111111111111111111", ParentID: "2222222222222222", Sampled: false}
	invalid := "00-" + caller.TraceID + "-" + caller.ParentID[1:] + "-01"
	fooBar, fooFoo := []string{"foo=1", "bar=2"}, []string{"foo=1", "foo=2"}
	long := []string{"a=1", "b=2", "c=" + strings.Repeat("x", 130), "d=4"}
	for _, tc := range []struct {
		name string
		rule contextRule
		got  http.Header
		seen string // "" when the rule holds
	}{
		{"valid", upstreamGetsValidTraceParent(nil), http.Header{"Traceparent": {other.String()}}, ""},
		{"none", upstreamGetsValidTraceParent(nil), http.Header{}, "the upstream received no traceparent"},
		{"unchanged", upstreamGetsValidTraceParent([]header{{"traceparent", " " + invalid + "\t"}}), http.Header{"Traceparent": {invalid}},
			"the upstream received the caller's invalid traceparent unchanged"},
		{
			"another invalid",
			upstreamGetsValidTraceParent(nil),
			http.Header{"Traceparent": {invalid}},
			"the parent-id must be 16 lower-case hex digits",
		},
		{"two", upstreamGetsValidTraceParent(nil), http.Header{"Traceparent": {other.String(), caller.String()}}, "2 traceparent headers"},
		{
			"continued",
			continuesTrace(caller),
			http.Header{"Traceparent": {request.TraceParent{TraceID: caller.TraceID, ParentID: other.ParentID}.String()}},
			"",
		},
		{"new trace", continuesTrace(caller), http.Header{"Traceparent": {other.String()}}, "the gateway started a new trace, " + other.TraceID},
		{"same parent", continuesTrace(caller), http.Header{"Traceparent": {caller.String()}}, "the upstream's parent is the caller's span"},
		{"restarted", startsNewTrace(caller, nil), http.Header{"Traceparent": {other.String()}}, ""},
		{"not restarted", startsNewTrace(caller, nil), http.Header{"Traceparent": {caller.String()}}, "the gateway continued the caller's trace"},
		{"flag kept", keepsSampled(false), http.Header{"Traceparent": {other.String()}}, ""},
		{"flag lost", keepsSampled(true), http.Header{"Traceparent": {other.String()}}, "the upstream's traceparent is not sampled"},
		{"version 00", sendsVersion00(), http.Header{"Traceparent": {other.String()}}, ""},
		{"version kept", sendsVersion00(), http.Header{"Traceparent": {"cc" + other.String()[2:] + "-more"}}, "not of version 00"},
		{"random kept", keepsRandom(true), http.Header{"Traceparent": {other.String()[:53] + "03"}}, ""},
		{"random lost", keepsRandom(true), http.Header{"Traceparent": {other.String()}}, "the random flag clear (flags 00)"},
		{"random added", keepsRandom(false), http.Header{"Traceparent": {other.String()[:53] + "02"}}, "the random flag set (flags 02)"},
		{"random new", setsRandom(), http.Header{"Traceparent": {other.String()[:53] + "02"}}, ""},
		{"not random new", setsRandom(), http.Header{"Traceparent": {other.String()[:53] + "01"}}, "the random flag clear (flags 01)"},
		{"reserved zero", reservedFlagsZero(), http.Header{"Traceparent": {other.String()[:53] + "03"}}, ""},
		{
			"reserved kept",
			reservedFlagsZero(),
			http.Header{"Traceparent": {other.String()[:53] + "09"}},
			"reserved trace-flags bits set (flags 09)",
		},
		{"state forwarded", forwardsTraceState(fooBar, fooBar), http.Header{"Tracestate": {"foo=1 ,bar=2"}}, ""},
		{"state dropped", forwardsTraceState(fooBar[:1], fooBar[:1]), http.Header{}, "the upstream received no tracestate"},
		{"empty state is none", forwardsTraceState(nil, nil), http.Header{"Tracestate": {""}}, ""},
		{
			"state kept",
			forwardsTraceState([]string{"FOO=1"}, nil),
			http.Header{"Tracestate": {"FOO=1"}},
			`the upstream received tracestate ["FOO=1"]`,
		},
		{"one of a choice", forwardsTraceState(fooFoo, fooFoo, []string{"foo=2"}), http.Header{"Tracestate": {"foo=2"}}, ""},
		{"none of a choice", forwardsTraceState(fooFoo, fooFoo, []string{"foo=2"}), http.Header{}, "the upstream received no tracestate"},
		// A tracer may add its own members on the left, no key twice, dropping the right-most past 32.
		{"own on the left", forwardsTraceState(fooBar, fooBar), http.Header{"Tracestate": {"congo=t61,foo=1,bar=2"}}, ""},
		{
			"own on the right",
			forwardsTraceState(fooBar, fooBar),
			http.Header{"Tracestate": {"foo=1,bar=2,congo=t61"}},
			`received tracestate ["foo=1,bar=2,congo=t61"]`,
		},
		{"own key twice", forwardsTraceState(fooBar, fooBar), http.Header{"Tracestate": {"congo=1,congo=2,foo=1,bar=2"}}, "received tracestate"},
		{"reordered", forwardsTraceState(fooBar, fooBar), http.Header{"Tracestate": {"bar=2,foo=1"}}, "received tracestate"},
		{"caller's updated", forwardsTraceState(fooBar, fooBar), http.Header{"Tracestate": {"foo=3,bar=2"}}, "received tracestate"},
		{
			"own past 32",
			forwardsTraceState(members32, members32),
			http.Header{"Tracestate": {strings.Join(append([]string{"congo=t61"}, members32[:31]...), ",")}},
			"",
		},
		{"dropped not past 32", forwardsTraceState(fooBar, fooBar), http.Header{"Tracestate": {"congo=t61,foo=1"}}, "received tracestate"},
		{"own kept when discarding", forwardsTraceState([]string{"FOO=1"}, nil), http.Header{"Tracestate": {"congo=t61"}}, ""},
		{"whole", truncatesWholeMembers(long), http.Header{"Tracestate": {strings.Join(long, ",")}}, ""},
		{
			"cut",
			truncatesWholeMembers(long),
			http.Header{"Tracestate": {"a=1,b=2,c=" + long[2][2:20]}},
			"not whole members of the caller's in order",
		},
		{"long first", truncatesLongFirst(long), http.Header{"Tracestate": {"a=1,b=2,d=4"}}, ""},
		{"then right", truncatesLongFirst(long), http.Header{"Tracestate": {"a=1,b=2"}}, ""},
		{
			"short before long",
			truncatesLongFirst(long),
			http.Header{"Tracestate": {"a=1,b=2," + long[2]}},
			"members of 128 characters or fewer dropped while 1 longer kept",
		},
		{"from the left", truncatesLongFirst(long), http.Header{"Tracestate": {"b=2,d=4"}}, "members dropped other than from the right"},
	} {
		rsp := upstreamGot(t, tc.got)
		holds, err := tc.rule.Match(rsp)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if holds != (tc.seen == "") {
			t.Errorf("%s: the rule holds: %v, want %v (%s)", tc.name, holds, tc.seen == "", tc.rule.seen(rsp))
			continue
		}
		if holds {
			continue
		}
		msg := tc.rule.FailureMessage(rsp)
		for _, want := range []string{
			"Expected, by W3C trace context (" + string(tc.rule.level.orMust()) + "): " + tc.rule.says,
			"seen: ",
			tc.seen,
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: the failure lacks %q:\n%s", tc.name, want, msg)
			}
		}
	}
}
