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

// Propagation checks that the gateway joins an incoming trace and hands it on to the upstream.
var Propagation = register(Feature{
	Name:      "Propagation",
	Title:     "Trace context propagation",
	Standards: []report.Standard{TraceContextStandard},
	SpecIDs:   []string{"propagation-keeps-trace", "propagation-upstream-parent"},
	Specs: func(in *Input) {
		It(
			"keeps the incoming trace id and parents its span on the caller",
			ID("propagation-keeps-trace"),
			in.declarable("Propagation", func(ctx SpecContext) {
				caller := request.NewTraceParent(true)
				By("sending a request that carries a traceparent")
				rsp := in.Gateway.Send(ctx, route(contract.PropagationIncoming), request.WithTraceParent(caller))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By("waiting for a server span in the caller's trace whose parent is the caller's span")
				in.expectGatewaySpan(ctx, rsp, spans.InTrace(caller.TraceID))
			}),
		)

		It(
			"hands the upstream a traceparent whose parent is the gateway span",
			ID("propagation-upstream-parent"),
			in.declarable("Propagation", func(ctx SpecContext) {
				caller := request.NewTraceParent(true)
				By("sending a request that carries a traceparent")
				rsp := in.Gateway.Send(ctx, route(contract.PropagationUpstream), request.WithTraceParent(caller))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By("reading the traceparent the upstream received")
				Expect(rsp).To(request.HaveUpstreamTraceParent())
				upstream, _ := rsp.UpstreamTraceParent()
				Expect(upstream.TraceID).To(Equal(caller.TraceID), "the upstream's traceparent must stay in the caller's trace")

				By("waiting for the span the upstream's traceparent points at")
				pointed := in.awaitSpan(ctx, rsp, upstream.ParentID)
				// A gateway that opens a client span for its upstream call (Envoy) hands the upstream
				// that span; it belongs to the gateway if its parent is the gateway's server span.
				// Everything is keyed by the upstream's own traceparent, so a retried request, with a
				// server span per attempt, cannot pick the wrong one.
				serverID := pointed.SpanID
				if pointed.Kind == spans.KindClient {
					serverID = pointed.ParentSpanID
				}
				By("checking it is the gateway's server span, or a client span under it, in the caller's trace")
				in.expectGatewaySpan(ctx, rsp, spans.WithSpanID(serverID))
			}),
		)
	},
})
