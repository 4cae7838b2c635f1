package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// UpstreamSpan checks the client span some gateways open for their call to the upstream.
var UpstreamSpan = register(Feature{
	Name:    "UpstreamSpan",
	Title:   "Upstream span",
	SpecIDs: []string{"upstream-client-span"},
	Specs: func(in *Input) {
		It(
			"opens a client span for the upstream call, child of the server span",
			ID("upstream-client-span"),
			in.declarable("UpstreamSpan", func(ctx SpecContext) {
				caller := request.NewTraceParent(true)
				By("sending a request that carries a traceparent")
				rsp := in.Gateway.Send(ctx, route(contract.UpstreamSpan), request.WithTraceParent(caller))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))
				Expect(rsp).To(request.HaveUpstreamTraceParent())
				upstream, _ := rsp.UpstreamTraceParent()

				// Keyed by the upstream's own traceparent, so a retried request, with spans per
				// attempt, cannot pick another attempt's server span.
				By("waiting for the client span the upstream's traceparent points at")
				client := in.awaitSpan(ctx, rsp, upstream.ParentID, spans.Client())

				By("checking its parent is the gateway's one server span, child of the caller")
				in.expectGatewaySpan(ctx, rsp, spans.WithSpanID(client.ParentSpanID))
				By("checking it is the one client span under that server span")
				Expect(spans.Of(in.Spans, rsp.TraceID())()).To(spans.HaveOneSpanOf([]spans.Criterion{
					spans.Client(),
					spans.ChildOf(client.ParentSpanID),
				}))
			}),
		)
	},
})
