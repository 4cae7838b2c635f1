package tracing

import (
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// Sampling checks the sampling ratio for traces that start at the gateway, and that a caller's
// sampling decision (the sampled flag of its traceparent) is honoured, through the main gateway and
// the variant contract.SamplingZeroVariant, which every implementation listing Sampling defines.
var Sampling = register(Feature{Name: "Sampling", Title: "Sampling", Specs: func(in *Input) {
	It("exports no span for a new trace at 0% sampling", in.declarable("Sampling", func(ctx SpecContext) {
		zero := in.gatewayVariant(ctx, contract.SamplingZeroVariant.Name)
		host := uniqueHost(contract.SamplingZero)
		By("sending a request without traceparent, with a unique Host, through the gateway sampling 0%")
		_, window := in.sendWithMarker(ctx, zero, route(contract.SamplingZero), request.Host(host), request.NoTraceParent())
		By("checking that no span mentioning the unique Host arrives")
		in.ConsistentlyFound(ctx, window, in.Mentioning(host)).Should(spans.HaveNoSpan())
	}))

	It("exports a span for a new trace at 100% sampling", in.declarable("Sampling", func(ctx SpecContext) {
		host := uniqueHost(contract.SamplingFull)
		By("sending a request without traceparent, with a unique Host, through the gateway sampling 100%")
		rsp := in.Gateway.Send(ctx, route(contract.SamplingFull), request.Host(host), request.NoTraceParent())
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("waiting for the root server span the gateway started for that Host")
		in.EventuallyFound(ctx, in.Mentioning(host)).Should(spans.HaveSpan(spans.Server(), spans.Root()))
	}))

	It("honours a caller's decision not to sample", in.declarable("Sampling", func(ctx SpecContext) {
		caller := request.NewTraceParent(false)
		By("sending a traceparent whose sampled flag is off through the gateway sampling 100%")
		_, window := in.sendWithMarker(ctx, in.Gateway, route(contract.SamplingCallerOff), request.WithTraceParent(caller))
		By("checking that no span arrives for the unsampled trace")
		in.ConsistentlyFound(ctx, window, spans.Of(in.Spans, caller.TraceID)).Should(spans.HaveNoSpan())
	}))

	It("honours a caller's decision to sample", in.declarable("Sampling", func(ctx SpecContext) {
		zero := in.gatewayVariant(ctx, contract.SamplingZeroVariant.Name)
		caller := request.NewTraceParent(true)
		By("sending a traceparent whose sampled flag is on through the gateway sampling 0%")
		rsp := zero.Send(ctx, route(contract.SamplingCallerOn), request.WithTraceParent(caller))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("waiting for the gateway's span in the caller's trace")
		in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.ChildOf(caller.ParentID)))
	}))
}})
