package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// UpstreamSpan checks the client span some gateways open for their call to the upstream.
func UpstreamSpan(input func() Input) bool {
	return describeFeature(config.FeatureUpstreamSpan, "Upstream span", input, func(in *Input) {
		It("opens a client span for the upstream call, child of the server span", func(ctx SpecContext) {
			caller := request.NewTraceParent(true)
			By("sending a request that carries a traceparent")
			rsp := in.Gateway.Send(ctx, request.Host("upstream.example.com"), request.Path("/upstream/span"), request.WithTraceParent(caller))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))
			Expect(rsp).To(request.HaveUpstreamTraceParent())
			upstream, _ := rsp.UpstreamTraceParent()

			By("waiting for the server span, child of the caller")
			server := spans.Server()
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(server, spans.ChildOf(caller.ParentID)))
			serverSpan := spans.Matching(spans.Of(in.Spans, rsp.TraceID())().Spans, server, spans.ChildOf(caller.ParentID))[0]

			By("waiting for the client span under it, which the upstream's traceparent points at")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Client(), spans.ChildOf(serverSpan.SpanID), spans.WithSpanID(upstream.ParentID)))
		})
	})
}
