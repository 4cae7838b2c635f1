package tracing

import (
	"net/http"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// ErrorStatus checks that a server error, and only a server error, marks the span as failed.
var ErrorStatus = register(Feature{
	Name:      "ErrorStatus",
	Title:     "Error status",
	Standards: []report.Standard{conventions.Standard},
	SpecIDs:   []string{"error-status-5xx", "error-status-2xx-unset"},
	Specs: func(in *Input) {
		It("sets status ERROR on the span of a 5xx response", ID("error-status-5xx"), in.declarable("ErrorStatus", func(ctx SpecContext) {
			By("asking the upstream to fail with 500")
			// 500, not 503: the request policy may treat 502-504 as transient and retry them.
			rsp := in.Gateway.Send(
				ctx,
				route(contract.ErrorStatusFailed),
				request.Header(echo.StatusHeader, strconv.Itoa(http.StatusInternalServerError)),
			)
			Expect(rsp).To(request.HaveStatus(http.StatusInternalServerError))

			By("waiting for the gateway's server span with status ERROR")
			in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.WithStatus(spans.StatusError)))
		}))

		It(
			"does not set status ERROR on the span of a 2xx response",
			ID("error-status-2xx-unset"),
			in.declarable("ErrorStatus", func(ctx SpecContext) {
				By("sending a request the upstream answers with 200")
				rsp := in.Gateway.Send(ctx, route(contract.ErrorStatusOK))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By("waiting for the gateway's server span, which must not be an error")
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(spans.Server(), spans.Not(spans.WithStatus(spans.StatusError))))
			}),
		)
	},
})
