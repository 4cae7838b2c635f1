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

// SpanName checks how the gateway names its server span.
var SpanName = register(Feature{
	Name:    "SpanName",
	Title:   "Span names",
	SpecIDs: []string{"span-name-default", "span-name-decorated"},
	Specs: func(in *Input) {
		// What the names are comes from the profile (implementations.<name>.spanNames):
		// gateways legitimately differ, e.g. Envoy names the span "ingress" unless configured.
		It(
			"gives the span its default name when the route has no decorator",
			ID("span-name-default"),
			in.declarable("SpanName", func(ctx SpecContext) {
				r := contract.SpanNameDefault
				want := in.Config.Implementation.SpanNames.DefaultFor(r.Host, r.MethodOrGet())
				By("sending a request to a route without a decorator")
				rsp := in.Gateway.Send(ctx, route(r))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By(fmt.Sprintf(
					"waiting for the gateway's server span named %q (spanNames.default %q)",
					want,
					in.Config.Implementation.SpanNames.Default,
				))
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Named(want)))
			}),
		)

		It(
			"uses the route's decorator as the span name",
			ID("span-name-decorated"),
			in.declarable("SpanName", func(ctx SpecContext) {
				impl := in.Config.Implementation
				if impl.SpanNames.Decorated == "" {
					Skip(fmt.Sprintf(
						"%s %s has no route-level span name (implementations.%s.spanNames.decorated is empty)",
						impl.Name,
						impl.Version,
						impl.Name,
					))
				}
				By("sending a request to the route with a decorator")
				rsp := in.Gateway.Send(ctx, route(contract.SpanNameDecorated))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By("waiting for the gateway's server span named by the decorator")
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Named(impl.SpanNames.Decorated)))
			}),
		)
	},
})
