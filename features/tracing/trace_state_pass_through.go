package tracing

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/verdict"
)

// passThroughRow is one request through the gateway with tracing off (contract.TracingOffVariant):
// the traceparent and tracestate a caller sends, built around a fresh caller trace, which must
// reach the upstream byte for byte. W3C Trace Context (3.4, Mutating the traceparent Field): "If
// the value of the traceparent field wasn't changed before propagation, tracestate MUST NOT be
// modified as well", which it says pass-through services such as proxies implement.
type passThroughRow struct {
	// id is the row's stable ID (ids.txt), name its sentence.
	id, name string
	// traceparent and tracestate are the header values sent, one line each.
	traceparent func(caller request.TraceParent) string
	tracestate  string
}

// passThroughRows are the rows of TraceState's table "with tracing off".
var passThroughRows = []passThroughRow{
	{id: "ts-pass-through-sampled", name: "a sampled traceparent and its tracestate are forwarded byte for byte",
		traceparent: func(c request.TraceParent) string { return traceparent(c, "00", "01", "") }, tracestate: callerTraceState},
	{id: "ts-pass-through-unsampled", name: "an unsampled traceparent and its tracestate are forwarded byte for byte",
		traceparent: func(c request.TraceParent) string { return traceparent(c, "00", "00", "") }, tracestate: "foo=1,bar=2"},
	{id: "ts-pass-through-white-space", name: "a tracestate with white space and an empty member is forwarded byte for byte",
		traceparent: func(c request.TraceParent) string { return traceparent(c, "00", "01", "") }, tracestate: "foo=1 \t, ,bar=2"},
	{id: "ts-pass-through-512-characters", name: "a tracestate of 512 characters is forwarded byte for byte",
		traceparent: func(c request.TraceParent) string { return traceparent(c, "00", "01", "") }, tracestate: strings.Join(state512, ",")},
	{
		id:          "ts-pass-through-future-version",
		name:        "a traceparent of a future version and its tracestate are forwarded byte for byte",
		traceparent: func(c request.TraceParent) string { return traceparent(c, "cc", "01", "-what-the-future-will-be-like") },
		tracestate:  "foo=1",
	},
}

// passThrough sends the row's headers through the tracing-off variant and judges what the
// upstream received. A profile that says its gateway cannot turn tracing off
// (local.variants.tracing-off.unavailable), or an environment without the variant, makes the
// row not applicable, with that reason: never passed.
func (in *Input) passThrough(ctx SpecContext, r passThroughRow) {
	GinkgoHelper()
	variant := contract.TracingOffVariant.Name
	if why := in.Config.VariantUnavailable(variant); why != "" {
		verdict.End(verdict.NotApplicable, why)
	}
	in.conformOrDeviate("TraceState", r.id, func() {
		off := in.gatewayVariant(ctx, variant)
		sent := r.sent(request.NewTraceParent(true))
		By(fmt.Sprintf("sending traceparent %q and tracestate %q through the gateway with tracing off", sent[0].value, sent[1].value))
		rsp := off.Send(ctx, route(contract.TraceStatePassThrough), request.NoTraceParent(),
			request.RawHeader(sent[0].name, sent[0].value), request.RawHeader(sent[1].name, sent[1].value))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("checking that the upstream received both headers as they were sent")
		Expect(rsp).To(passThroughRules(sent))
	})
}

// sent are the row's header lines for the caller's ids: its traceparent, then its tracestate.
func (r passThroughRow) sent(caller request.TraceParent) []header {
	return []header{{"traceparent", r.traceparent(caller)}, {"tracestate", r.tracestate}}
}

// passThroughRules are what the upstream must receive of the lines sent, both MUST: the
// traceparent as it came, from a gateway that does not trace, and so the tracestate as it came.
func passThroughRules(sent []header) contextRules {
	return contextRules{passesOn(sent[0], "a gateway that does not trace sends the caller's traceparent on"),
		passesOn(sent[1], "a tracestate whose traceparent goes on unchanged is not changed either (W3C trace context 3.4)")}
}

// passesOn: the upstream receives the header h exactly as the caller sent it, one line, byte for
// byte; why says which rule asks for it.
func passesOn(h header, why string) contextRule {
	return contextRule{
		says: fmt.Sprintf("%s: the upstream receives %s %q, byte for byte", why, h.name, h.value),
		seen: func(rsp *request.Response) string {
			rec, err := rsp.Upstream()
			if err != nil {
				return "no record of the upstream's request: " + err.Error()
			}
			got := rec.Headers.Values(h.name)
			switch {
			case len(got) == 1 && got[0] == h.value:
				return ""
			case len(got) == 0:
				return fmt.Sprintf("the upstream received no %s", h.name)
			}
			return fmt.Sprintf("the upstream received %s %q", h.name, got)
		},
	}
}
