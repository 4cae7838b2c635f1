package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// CustomAttributes checks span attributes the gateway's tracing configuration adds
// (contract.Attributes): a literal, one copied from a request header, and one read from an
// environment variable of the gateway process.
var CustomAttributes = register(Feature{Name: "CustomAttributes", Title: "Custom attributes", Specs: func(in *Input) {
	It("adds a literal, a request header and an environment variable as attributes", in.declarable("CustomAttributes", func(ctx SpecContext) {
		By("sending a request with the header the gateway copies")
		rsp := in.Gateway.Send(ctx, route(contract.CustomAttributes), request.Header(contract.HeaderName, contract.HeaderValue))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("waiting for the gateway's server span with all three attributes")
		in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(),
			spans.WithAttribute(contract.LiteralAttribute, contract.LiteralValue),
			spans.WithAttribute(contract.HeaderAttribute, contract.HeaderValue),
			spans.WithAttribute(contract.EnvironmentAttribute, contract.EnvironmentValue),
		))
	}))
}})
