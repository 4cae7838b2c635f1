package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// TraceContext sends the W3C Trace Context cases (contextVectors) through the gateway: a valid
// traceparent is continued and an invalid one starts a new trace, at the upstream and in the
// gateway's span; tracestate goes with a valid traceparent, unchanged, or is dropped. A profile
// declares the rows its implementation knowingly deviates from (implementations.<name>.deviations).
var TraceContext = register(Feature{Name: "TraceContext", Title: "W3C trace context", Specs: func(in *Input) {
	DescribeTable("a caller's trace context", vectorTable(func(ctx SpecContext, v contextVector) {
		caller := request.NewTraceParent(true)
		in.conformOrDeviate("TraceContext", v.name, func() {
			By("sending the caller's trace-context headers")
			opts := []request.Option{request.Host("tracecontext.example.com"), request.Path("/trace/context"), request.NoTraceParent()}
			for _, h := range v.headers(caller) {
				opts = append(opts, request.RawHeader(h.name, h.value))
			}
			rsp := in.Gateway.Send(ctx, opts...)
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("reading the traceparent and tracestate the upstream received")
			Expect(rsp).To(request.HaveUpstreamTraceParent())
			upstream, _ := rsp.UpstreamTraceParent()
			// The descriptions say what was seen when they fail: a declared deviation names it.
			if v.continues {
				Expect(upstream.TraceID).To(Equal(caller.TraceID), "the gateway must continue the caller's trace; seen: the gateway started a new trace")
				Expect(upstream.ParentID).NotTo(Equal(caller.ParentID), "the upstream's parent must be a span of the gateway's; seen: the upstream's parent is the caller's span")
			} else {
				Expect(upstream.TraceID).NotTo(Equal(caller.TraceID), "the gateway must start a new trace; seen: the gateway continued the caller's trace")
			}
			if v.sampled != nil {
				Expect(upstream.Sampled).To(Equal(*v.sampled), "the sampled flag the upstream received")
			}
			Expect(rsp).To(request.HaveUpstreamTraceState(v.state...))

			switch {
			case v.continues && upstream.Sampled:
				By("waiting for the gateway's server span, child of the caller")
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.ChildOf(caller.ParentID)))
			case !v.continues && upstream.Sampled:
				By("waiting for the gateway's server span at the root of the new trace")
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Root()))
			}
		})
	})...)
}})

// vectorTable is what DescribeTable takes: the body, how a row is named (after its rule), and
// an entry per row.
func vectorTable(body func(SpecContext, contextVector)) []any {
	args := []any{body, func(v contextVector) string { return v.name }}
	for _, v := range contextVectors {
		args = append(args, Entry(nil, v))
	}
	return args
}
