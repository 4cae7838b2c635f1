package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// RequestAttributes checks the semantic-convention attributes that describe the request.
func RequestAttributes(input func() Input) bool {
	return Describe("Request attributes", featureLabel(config.FeatureRequestAttributes), func() {
		var in Input
		BeforeEach(func() { in = input(); in.validate("RequestAttributes") })

		It("records method, path, status code and server address", func(ctx SpecContext) {
			const host = "attributes.example.com"
			By("sending a POST with a distinctive path and host")
			rsp := in.Gateway.Send(ctx, request.Method(http.MethodPost), request.Host(host), request.Path("/request/attributes"))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for the gateway's server span with the request's attributes")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(),
				spans.WithAttribute("http.request.method", http.MethodPost),
				spans.WithAttribute("url.path", "/request/attributes"),
				spans.WithAttribute("http.response.status_code", http.StatusOK),
				spans.WithAttribute("server.address", host),
			))
		})
	})
}
