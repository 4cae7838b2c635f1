package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// What a gateway's fixture must configure for CustomAttributes: a literal attribute, one copied
// from a request header, and one read from an environment variable of the gateway process.
const (
	LiteralAttribute     = "tracegate.literal"
	LiteralValue         = "literal-value"
	HeaderAttribute      = "tracegate.header"
	HeaderName           = "X-Tracegate-Header"
	EnvironmentAttribute = "tracegate.env"
	EnvironmentVariable  = "TRACEGATE_ENV_ATTRIBUTE"
	EnvironmentValue     = "from-environment"
)

// CustomAttributes checks span attributes the gateway's tracing configuration adds.
var CustomAttributes = register(Feature{Name: "CustomAttributes", Title: "Custom attributes", Specs: func(in *Input) {
	It("adds a literal, a request header and an environment variable as attributes", func(ctx SpecContext) {
		By("sending a request with the header the gateway copies")
		rsp := in.Gateway.Send(ctx, request.Host("custom.example.com"), request.Path("/custom/attributes"),
			request.Header(HeaderName, "from-the-request"))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("waiting for the gateway's server span with all three attributes")
		in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(),
			spans.WithAttribute(LiteralAttribute, LiteralValue),
			spans.WithAttribute(HeaderAttribute, "from-the-request"),
			spans.WithAttribute(EnvironmentAttribute, EnvironmentValue),
		))
	})
}})
