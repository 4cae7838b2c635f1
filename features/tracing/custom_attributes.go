package tracing

import (
	"fmt"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// CustomAttributes checks span attributes the gateway's tracing configuration adds
// (contract.Attributes): a literal, one copied from a request header, and one read from an
// environment variable of the gateway process; on the main gateway's span and each variant's.
var CustomAttributes = register(Feature{
	Name:    "CustomAttributes",
	Title:   "Custom attributes",
	SpecIDs: []string{"custom-attributes"},
	Specs: func(in *Input) {
		It(
			"adds a literal, a request header and an environment variable as attributes",
			ID("custom-attributes"),
			in.declarable("CustomAttributes", func(ctx SpecContext) {
				in.eachGateway(ctx, func(gateway string, gw *request.Client) {
					By(fmt.Sprintf("sending a request with the header the gateway copies through %s", gateway))
					rsp := gw.Send(ctx, route(contract.CustomAttributes), request.Header(contract.HeaderName, contract.HeaderValue))
					Expect(rsp).To(request.HaveStatus(http.StatusOK))

					By(fmt.Sprintf("waiting for the server span of %s with all three attributes", gateway))
					in.expectGatewaySpan(ctx, rsp,
						spans.WithAttribute(contract.LiteralAttribute, contract.LiteralValue),
						spans.WithAttribute(contract.HeaderAttribute, contract.HeaderValue),
						spans.WithAttribute(contract.EnvironmentAttribute, contract.EnvironmentValue),
					)
				})
			}),
		)
	},
})
