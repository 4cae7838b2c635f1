package tracing

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/framework/verdict"
)

// StatusMatrix provokes every class of answer (statusCases: 2xx to 5xx from the upstream, the
// gateway's own 404, an upstream that refuses, one that times out) and checks the span status
// the OpenTelemetry HTTP conventions give each: a SERVER span is ERROR only for a 5xx answer, a
// CLIENT span for a 4xx or 5xx or no answer at all, and error.type says why a failed one failed.
// Every other span status must be UNSET, not OK (see errorStatus).
// Rows about the CLIENT span apply where the profile claims UpstreamSpan.
var StatusMatrix = register(Feature{
	Name:      "StatusMatrix",
	Title:     "Span status by response",
	Standards: []report.Standard{conventions.Standard},
	Specs: func(in *Input) {
		DescribeTable("the span status", table(statusRows(), "", func(ctx SpecContext, row statusRow) {
			impl := in.Config.Implementation
			if row.client && !impl.Supports("UpstreamSpan") {
				verdict.End(
					verdict.NotApplicable,
					fmt.Sprintf("%s does not claim UpstreamSpan: it opens no CLIENT span for the call to the upstream", impl.Name),
				)
			}
			in.conformOrDeviate("StatusMatrix", row.id, func() {
				By("provoking " + row.c.name)
				rsp := in.Gateway.Send(ctx, row.c.request...)
				Expect(rsp).To(row.c.answer)

				By("waiting for the gateway's span: " + row.check)
				in.EventuallySpans(ctx, rsp).ShouldArriveThen([]spans.Criterion{row.kind()}, row.want(rsp, impl.AttributeNaming)...)
			})
		})...)
	},
})
