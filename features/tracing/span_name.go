package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// SpanName checks how the gateway names its server span.
func SpanName(input func() Input) bool {
	return Describe("Span names", featureLabel(config.FeatureSpanName), func() {
		var in Input
		BeforeEach(func() { in = input(); in.validate("SpanName") })

		It("names the span after the Host header when the route has no decorator", func(ctx SpecContext) {
			const host = "test-really-cool-hostname.com"
			By("sending a request to a route without a decorator")
			rsp := in.Gateway.Send(ctx, request.Host(host), request.Path("/path/without/route/descriptor"))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for the gateway's server span named after the host")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Named(host)))
		})

		It("uses the route's decorator as the span name", func(ctx SpecContext) {
			By("sending a request to the route with a decorator")
			rsp := in.Gateway.Send(ctx, request.Host("example.com"), request.Path("/path/with/route/descriptor"))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for the gateway's server span named by the decorator")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Named("THISISAROUTEDESCRIPTOR")))
		})
	})
}
