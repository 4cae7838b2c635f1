package tracing

import (
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// TraceContext sends the W3C Trace Context cases (contextVectors) through the gateway: a valid
// traceparent is continued and an invalid one starts a new trace, at the upstream and in the
// gateway's span; tracestate goes with a valid traceparent, unchanged, or is dropped. A profile
// declares the rows its implementation knowingly deviates from (implementations.<name>.deviations).
var TraceContext = register(Feature{
	Name:      "TraceContext",
	Title:     "W3C trace context",
	Standards: []report.Standard{TraceContextStandard},
	Specs: func(in *Input) {
		DescribeTable("a caller's trace context", table(contextVectors, "", func(ctx SpecContext, v contextVector) {
			in.traceContextRow(ctx, v)
		})...)
		// The same rows over HTTP/2 (h2c), where the profile says the gateway speaks it; a profile's
		// declarations of a row hold for both tables.
		DescribeTable("a caller's trace context over HTTP/2 (h2c)", table(contextVectors, h2cSuffix, func(ctx SpecContext, v contextVector) {
			if l := in.Config.Implementation.Local; l == nil || !l.H2C || in.Config.Cluster != nil {
				Skip("the profile does not say the gateway speaks HTTP/2 without TLS (implementations.<name>.local.h2c)")
			}
			if v.verbatim {
				Skip("the row writes HTTP/1.1 by hand (request.Verbatim): optional white space is an HTTP/1.1 matter")
			}
			in.traceContextRow(ctx, v, request.H2C())
		})...)
	},
})

// traceContextRow sends the row's headers through the gateway, with extra request options (the
// protocol), and judges what the upstream received and the gateway's span.
func (in *Input) traceContextRow(ctx SpecContext, v contextVector, extra ...request.Option) {
	GinkgoHelper()
	caller := request.NewTraceParent(true)
	AddReportEntry(LevelEntryName, string(v.level.orMust()), ReportEntryVisibilityNever)
	in.conformOrDeviate("TraceContext", v.id, func() {
		By("sending the caller's trace-context headers")
		opts := append([]request.Option{route(contract.TraceContext), request.NoTraceParent()}, extra...)
		sent := v.headers(caller)
		for _, h := range sent {
			opts = append(opts, request.RawHeader(h.name, h.value))
		}
		if v.verbatim {
			opts = append(opts, request.Verbatim())
		}
		rsp := in.Gateway.Send(ctx, opts...)
		// First, on its own: without a 200 there is no upstream's record to judge.
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("checking the traceparent and tracestate the upstream received")
		judgeLater := v.checkUpstream(rsp, caller, sent)
		// The span tree is checked only once the upstream's headers meet every MUST: which span
		// to wait for (a child of the caller, or a root) follows from the traceparent it got.
		upstream, _ := rsp.UpstreamTraceParent()
		switch continued := upstream.TraceID == caller.TraceID; {
		case continued && upstream.Sampled:
			By("waiting for the gateway's server span, child of the caller")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(v.spanCriteria(rsp, caller)...))
		case !continued && upstream.Sampled:
			By("waiting for the gateway's server span at the root of the new trace")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Root()))
		}
		judgeLater()
	})
}

// checkUpstream holds what the upstream received for a row to all the row's rules at once
// (contextRules): every rule it breaks is a difference of the failure, so that a declared
// deviation that names one broken rule does not hide another. Each rule's failure says what it
// requires, at which level, and what was seen: a declared deviation quotes pieces of that. The
// failure starts with the row's own level (rowLevel). It fails at once where a MUST is broken or
// a rule could not be judged; where every rule was judged and those broken are all below MUST,
// it returns that failing check instead, to run once the row's span has been checked too, so
// that a row ends advisory (conformOrDeviate) only when every MUST it checks was judged and met.
func (v contextVector) checkUpstream(rsp *request.Response, caller request.TraceParent, sent []header) (judgeLater func()) {
	GinkgoHelper()
	rules := v.rules(caller, sent)
	if rules.belowMustOnly(rsp) {
		return func() { GinkgoHelper(); Expect(rsp).To(rules, rowLevel(v)) }
	}
	Expect(rsp).To(rules, rowLevel(v))
	return func() {}
}

// spanCriteria are what the gateway's server span in the caller's trace must meet: a child of the
// caller's span, with the tracestate that went upstream where the row says so (spanState).
func (v contextVector) spanCriteria(rsp *request.Response, caller request.TraceParent) []spans.Criterion {
	criteria := []spans.Criterion{spans.Server(), spans.ChildOf(caller.ParentID)}
	if rec, err := rsp.Upstream(); err == nil && v.spanState {
		criteria = append(criteria, spans.WithTraceState(strings.Join(members(rec.Headers.Values("tracestate")), ",")))
	}
	return criteria
}
