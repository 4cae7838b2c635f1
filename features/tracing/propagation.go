package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// Propagation checks that the gateway joins an incoming trace and hands it on to the upstream.
func Propagation(input func() Input) bool {
	return describeFeature(config.FeaturePropagation, "Trace context propagation", input, func(in *Input) {
		It("keeps the incoming trace id and parents its span on the caller", func(ctx SpecContext) {
			caller := request.NewTraceParent(true)
			By("sending a request that carries a traceparent")
			rsp := in.Gateway.Send(ctx, request.Host("propagation.example.com"), request.Path("/propagation/incoming"), request.WithTraceParent(caller))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for a server span in the caller's trace whose parent is the caller's span")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.InTrace(caller.TraceID), spans.ChildOf(caller.ParentID)))
		})

		It("hands the upstream a traceparent whose parent is the gateway span", func(ctx SpecContext) {
			caller := request.NewTraceParent(true)
			By("sending a request that carries a traceparent")
			rsp := in.Gateway.Send(ctx, request.Host("propagation.example.com"), request.Path("/propagation/upstream"), request.WithTraceParent(caller))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("reading the traceparent the upstream received")
			Expect(rsp).To(request.HaveUpstreamTraceParent())
			upstream, _ := rsp.UpstreamTraceParent()
			Expect(upstream.TraceID).To(Equal(caller.TraceID), "the upstream's traceparent must stay in the caller's trace")

			By("waiting for the gateway's server span, child of the caller")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.ChildOf(caller.ParentID)))
			server := spans.Matching(spans.Of(in.Spans, rsp.TraceID())().Spans, spans.Server(), spans.ChildOf(caller.ParentID))[0]
			if upstream.ParentID != server.SpanID {
				// A gateway that opens a client span for its upstream call (Envoy) hands the
				// upstream that span: it is the gateway's span too, if it is the server span's child.
				By("waiting for the gateway's client span that the upstream's traceparent points at, child of the server span")
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Client(), spans.WithSpanID(upstream.ParentID), spans.ChildOf(server.SpanID)))
			}
		})
	})
}
