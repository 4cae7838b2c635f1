package tracing

import (
	"context"
	"fmt"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// sendWithMarker sends the request under test through gw and then, over the same connection,
// a sampled marker request; it waits for the marker's span and returns the response under test
// and the absence window the marker gives (config.AbsenceWindow).
//
// A "no span" check means nothing until a span exported after the request under test is seen
// to arrive, and only if it left the gateway by the same way: Envoy gives each connection to
// one worker thread, each with its own span buffer, flush timer and export connection, so a
// marker on another connection can arrive while the request's span is held up on its worker's
// export connection. On one connection both requests are handled by one worker, which exports
// the request's spans first, over the same export connection. Should the connection be
// replaced in between (the gateway closed it, the marker's attempt was retried on a new one),
// the pair is sent again, the same request (same Host, same traceparent), up to the request
// policy's retries; the check then covers every copy sent, so repeating can only add spans
// that fail it, never hide one. So opts must fix the traceparent (WithTraceParent, or
// NoTraceParent with a unique Host): Unsampled would give each copy a trace of its own.
func (in Input) sendWithMarker(ctx context.Context, gw *request.Client, opts ...request.Option) (*request.Response, time.Duration) {
	GinkgoHelper()
	tries := in.Config.Request.Retries + 1
	for try := 1; ; try++ {
		session := gw.Session()
		rsp := session.Send(ctx, opts...)
		Expect(rsp).To(request.HaveStatus(http.StatusOK))
		By("sending a sampled marker request over the same connection and waiting for its span")
		marker := session.Send(ctx, route(contract.Marker))
		session.Close()
		Expect(marker).To(request.HaveStatus(http.StatusOK))
		if marker.Conn() != rsp.Conn() {
			Expect(try).To(BeNumerically("<", tries), "the marker never went over the connection of the request under test (%d tries; last: %s, then %s), so no marker shares its export path:\n%s%s",
				tries, rsp.Conn(), marker.Conn(), rsp.Describe(), marker.Describe())
			By(fmt.Sprintf("the marker went over connection %s, not %s: sending both again", marker.Conn(), rsp.Conn()))
			continue
		}
		in.EventuallySpans(ctx, marker).Should(spans.HaveSpan(spans.Server()), "the marker's span never arrived: the export path is broken, so absence proves nothing")
		server := spans.Matching(spans.Of(in.Spans, marker.TraceID())().Spans, spans.Server())[0]
		delay := server.Received.Sub(marker.Received)
		window := in.Config.AbsenceWindow(delay)
		By(fmt.Sprintf("the marker's span arrived %s after its response, over connection %s as the request under test: watching for %s", delay.Round(time.Millisecond), marker.Conn(), window))
		return rsp, window
	}
}
