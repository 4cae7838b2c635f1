package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// callerTraceState is a W3C tracestate of two members, one with a tenant (multi-tenant key
// syntax), in the order a caller sent them: a gateway must pass it on unchanged.
const callerTraceState = "tracegate=t61rcWkgMzE,vendor@tenant=opaque-value"

// TraceState checks that the gateway keeps the caller's W3C tracestate: the upstream receives
// it unchanged, and the gateway's span in the caller's trace carries it; and that with tracing
// off (contract.TracingOffVariant) the traceparent and tracestate go on byte for byte
// (passThroughRows).
var TraceState = register(Feature{
	Name:      "TraceState",
	Title:     "Trace state",
	Standards: []report.Standard{TraceContextStandard},
	SpecIDs:   []string{"tracestate-forwarded", "tracestate-on-span"},
	Specs: func(in *Input) {
		It(
			"forwards the caller's tracestate to the upstream unchanged",
			ID("tracestate-forwarded"),
			in.declarable("TraceState", func(ctx SpecContext) {
				By("sending a request with a traceparent and a tracestate of two members")
				rsp := in.Gateway.Send(ctx, route(contract.TraceStateForwarded),
					request.WithTraceState(callerTraceState))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By("reading the tracestate the upstream received")
				Expect(rsp).To(request.HaveUpstreamHeader("tracestate", callerTraceState))
			}),
		)

		It("records the caller's tracestate on its server span", ID("tracestate-on-span"), in.declarable("TraceState", func(ctx SpecContext) {
			caller := request.NewTraceParent(true)
			By("sending a request with a traceparent and a tracestate")
			rsp := in.Gateway.Send(ctx, route(contract.TraceStateRecorded),
				request.WithTraceParent(caller), request.WithTraceState(callerTraceState))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for the gateway's server span, child of the caller, with the caller's tracestate")
			in.expectGatewaySpan(ctx, rsp, spans.WithTraceState(callerTraceState))
		}))

		DescribeTable("with tracing off", table(passThroughRows, "", func(ctx SpecContext, r passThroughRow) {
			in.passThrough(ctx, r)
		})...)
	},
})
