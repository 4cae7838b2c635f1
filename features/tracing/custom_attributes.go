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
// customAttributesSpec is its one spec, which a profile may declare a known deviation for.
const customAttributesSpec = "adds a literal, a request header and an environment variable as attributes"

var CustomAttributes = register(Feature{Name: "CustomAttributes", Title: "Custom attributes", Specs: func(in *Input) {
	It(customAttributesSpec, func(ctx SpecContext) {
		By("sending a request with the header the gateway copies")
		rsp := in.Gateway.Send(ctx, route(contract.CustomAttributes), request.Header(contract.HeaderName, contract.HeaderValue))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		// A profile may declare the environment attribute a known deviation (a gateway that can
		// only set literal and request-header attributes); the other two are never excused.
		By("waiting for the gateway's server span with the literal and the request header")
		identify := []spans.Criterion{spans.Server(),
			spans.WithAttribute(contract.LiteralAttribute, contract.LiteralValue),
			spans.WithAttribute(contract.HeaderAttribute, contract.HeaderValue)}
		in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(identify...))

		By("checking, on that span, the attribute read from the gateway's environment")
		in.conformOrDeviate("CustomAttributes", customAttributesSpec, func() {
			in.EventuallySpans(ctx, rsp).ShouldArriveThen(identify, spans.WithAttribute(contract.EnvironmentAttribute, contract.EnvironmentValue))
		})
	})
}})
