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

// sendWithMarker sends count copies of the request under test to route r through gw, each
// with the unique Host host, and then, over the same connection, a marker: a sampled request
// to the same route, through the same gateway, with a unique Host of its own. It waits for the
// marker's span and returns the absence window the marker gives (config.AbsenceWindow).
//
// The marker proves two things before any absence is judged. First, the export path: a "no
// span" check means nothing until a span exported after the requests under test is seen to
// arrive, and only if it left the gateway by the same way. Envoy gives each connection to one
// worker thread, each with its own span buffer, flush timer and export connection, so a marker
// on another connection can arrive while the request's span is held up on its worker's export
// connection; on one connection one worker exports the request's spans first. Second, the
// identification: the check finds the spans of the requests under test by their Host in an
// attribute (in.Mentioning), which the conventions do not require; the marker, identified the
// same way, must be found that way, or the check fails as unjudgeable.
//
// Should the connection be replaced in between (the gateway closed it, an attempt was retried
// on a new one), every copy and the marker are sent again, the same requests (same Host, same
// traceparent), up to the request policy's retries; the check then covers every copy sent, so
// repeating can only add spans that fail it, never hide one. So opts must fix the traceparent
// (WithTraceParent, or NoTraceParent): Unsampled would give each copy a trace of its own.
func (in Input) sendWithMarker(
	ctx context.Context,
	gw *request.Client,
	r contract.Route,
	host string,
	count int,
	opts ...request.Option,
) time.Duration {
	GinkgoHelper()
	under := append([]request.Option{route(r), request.Host(host)}, opts...)
	markerHost := uniqueHost(r)
	tries := in.Config.Request.Retries + 1
	for try := 1; ; try++ {
		session := gw.Session()
		conns := map[string]int{}
		var last *request.Response
		for range count {
			last = session.Send(ctx, under...)
			Expect(last).To(request.HaveStatus(http.StatusOK))
			conns[last.Conn()]++
		}
		By(fmt.Sprintf("sending a sampled marker to %s, Host %s, over the same connection, and waiting for its span", r.Path, markerHost))
		marker := session.Send(ctx, route(r), request.Host(markerHost))
		session.Close()
		Expect(marker).To(request.HaveStatus(http.StatusOK))
		if len(conns) != 1 || marker.Conn() != last.Conn() {
			Expect(try).To(BeNumerically("<", tries), "the marker never went over the one connection of the requests under test (%d tries; "+
				"last: requests over %v, marker over %s), so no marker shares their export path:\n%s%s",
				tries, conns, marker.Conn(), last.Describe(), marker.Describe())
			By(fmt.Sprintf("the requests went over connections %v and the marker over %s: sending them all again", conns, marker.Conn()))
			continue
		}
		// In its trace or, should the gateway have started another, by its Host.
		markerSpans := in.traceOrMentioning(marker.TraceID(), markerHost)
		in.EventuallyFound(ctx, markerSpans).Should(
			spans.HaveSpan(spans.Server()),
			"the marker's span never arrived: the export path is broken, so absence proves nothing",
		)
		server := spans.Matching(markerSpans().Spans, spans.Server())[0]
		in.expectIdentified(markerHost, server, markerSpans())
		delay := server.Received.Sub(marker.Received)
		window := in.Config.AbsenceWindow(delay)
		// Over the connection of the requests under test, and found by its Host.
		By(fmt.Sprintf(
			"the marker's span came %s after its response (%s): watching for %s",
			delay.Round(time.Millisecond),
			marker.Conn(),
			window,
		))
		return window
	}
}

// expectIdentified fails the spec as unjudgeable unless the marker's SERVER span, already
// arrived, is also found by its Host, the way the check looks for the requests under test.
func (in Input) expectIdentified(markerHost string, server spans.Span, arrived spans.Received) {
	GinkgoHelper()
	Expect(spans.Matching(in.Mentioning(markerHost)().Spans, spans.Server())).NotTo(
		BeEmpty(),
		"UNJUDGEABLE: the marker's span arrived (%s), but no span mentioning its Host %q: "+
			"the check finds the spans of the requests under test by their Host in an attribute, which this gateway does not record there, "+
			"so their absence would prove nothing. The marker's spans:\n%s",
		server,
		markerHost,
		spans.Tree(arrived.Spans),
	)
}

// traceOrMentioning finds the spans of trace traceID and, in any trace, those mentioning s:
// the spans of a request that carried that trace, whether the gateway kept it or started
// another.
func (in Input) traceOrMentioning(traceID, s string) func() spans.Received {
	return func() spans.Received {
		rcv := spans.Of(in.Spans, traceID)()
		seen := map[string]bool{}
		for _, span := range rcv.Spans {
			seen[span.SpanID] = true
		}
		for _, span := range in.Mentioning(s)().Spans {
			if !seen[span.SpanID] {
				rcv.Spans = append(rcv.Spans, span)
			}
		}
		rcv.Query = fmt.Sprintf("trace %s, or any trace mentioning %q", traceID, s)
		return rcv
	}
}
