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

// Sampling checks the sampling ratio for traces that start at the gateway, and that a caller's
// sampling decision (the sampled flag of its traceparent) is honoured, through the main gateway and
// the variant contract.SamplingZeroVariant, which every implementation listing Sampling defines.
var Sampling = register(Feature{
	Name:    "Sampling",
	Title:   "Sampling",
	SpecIDs: []string{"sampling-zero", "sampling-full", "sampling-caller-unsampled", "sampling-caller-sampled"},
	Section: SamplingSection{},
	Specs: func(in *Input) {
		It("exports no span for a new trace at 0% sampling", ID("sampling-zero"), in.declarable("Sampling", func(ctx SpecContext) {
			zero := in.gatewayVariant(ctx, contract.SamplingZeroVariant.Name)
			host, n := uniqueHost(contract.SamplingZero), in.Config.Environment.SamplingTraces
			By(fmt.Sprintf("sending %d requests without traceparent, each a new trace, with one unique Host, through the gateway sampling 0%%", n))
			window := in.sendWithMarker(ctx, zero, contract.SamplingZero, host, n, request.NoTraceParent())
			By("checking that no span mentioning the unique Host arrives")
			in.ConsistentlyFound(ctx, window, in.Mentioning(host)).Should(spans.HaveNoSpan())
			claim := newSamplingClaim(n)
			By(claim.Statement)
			AddReportEntry(samplingEntry, claim, ReportEntryVisibilityNever)
		}))

		It("exports a span for a new trace at 100% sampling", ID("sampling-full"), in.declarable("Sampling", func(ctx SpecContext) {
			host := uniqueHost(contract.SamplingFull)
			By("sending a request without traceparent, with a unique Host, through the gateway sampling 100%")
			rsp := in.Gateway.Send(ctx, route(contract.SamplingFull), request.Host(host), request.NoTraceParent())
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for the root server span the gateway started for that Host")
			in.EventuallyFound(ctx, in.Mentioning(host)).Should(spans.HaveSpan(spans.Server(), spans.Root()))
		}))

		It("honours a caller's decision not to sample", ID("sampling-caller-unsampled"), in.declarable("Sampling", func(ctx SpecContext) {
			caller, host := request.NewTraceParent(false), uniqueHost(contract.SamplingCallerOff)
			By("sending a traceparent whose sampled flag is off, with a unique Host, through the gateway sampling 100%")
			window := in.sendWithMarker(ctx, in.Gateway, contract.SamplingCallerOff, host, 1, request.WithTraceParent(caller))
			By("checking that no span arrives in the caller's trace, nor in any trace mentioning the unique Host (a new trace the gateway started)")
			in.ConsistentlyFound(ctx, window, in.traceOrMentioning(caller.TraceID, host)).Should(spans.HaveNoSpan())
		}))

		It("honours a caller's decision to sample", ID("sampling-caller-sampled"), in.declarable("Sampling", func(ctx SpecContext) {
			zero := in.gatewayVariant(ctx, contract.SamplingZeroVariant.Name)
			caller := request.NewTraceParent(true)
			By("sending a traceparent whose sampled flag is on through the gateway sampling 0%")
			rsp := zero.Send(ctx, route(contract.SamplingCallerOn), request.WithTraceParent(caller))
			Expect(rsp).To(request.HaveStatus(http.StatusOK))

			By("waiting for the gateway's span in the caller's trace")
			in.expectGatewaySpan(ctx, rsp)
		}))
	},
})
