package tracing

import (
	"fmt"
	"strings"
	"time"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// proveComplete is called when spans of the request a.rsp answered have arrived and none
// matches: it proves, as an absence check does (sendWithMarker), that nothing more of the
// request can arrive, so the mismatch is the verdict without waiting out the span wait. It sends
// a sampled marker, the request's method, path and Host under a traceparent of its own, over the
// connection that answered the request, waits for the marker's SERVER span, then watches for a
// matching span for the absence window the marker's delay gives (config.AbsenceWindow).
//
// Over one connection one gateway worker (with Envoy, one thread with its own span buffer, flush
// timer and export connection) ends the request's spans before the marker's and exports them
// first, in one batch or in several; spans of the request in a batch that left after the
// marker's get the window. A marker over another connection proves nothing (another worker may
// have exported it while the request's spans wait on theirs), nor does one that follows a
// response of more than one attempt (the earlier attempts went over other connections).
//
// It returns what it saw last and whether that matched; proof says what proved the spans
// complete, "" when nothing did, and then unproved says why (the caller waits the span wait out).
func (a SpanAssertion) proveComplete(
	matcher types.GomegaMatcher,
	deadline time.Time,
	polling time.Duration,
) (rcv spans.Received, matched bool, proof, unproved string) {
	rsp := a.rsp
	if len(rsp.Attempts) != 1 {
		return a.query(), false, "", fmt.Sprintf("the request took %d attempts over as many connections", len(rsp.Attempts))
	}
	// StatusUnderTest: the marker's status is never retried (a route that answers 503, such as
	// StatusMatrix's refused upstream, would otherwise cost the whole retry backoff, about 5 s); it
	// is not checked either, only that its SERVER span arrives.
	opts := []request.Option{
		request.Method(rsp.Request.Method),
		request.Path(rsp.Request.Path),
		request.Host(rsp.Request.Host),
		request.StatusUnderTest(),
	}
	if rsp.Request.H2C {
		opts = append(opts, request.H2C()) // over the request's h2c connection, kept apart from HTTP/1.1's
	}
	marker := rsp.Follow(a.ctx, opts...)
	switch {
	case marker == nil:
		return a.query(), false, "", "the request's connection was not kept (a verbatim request, or a client that closes connections)"
	case len(marker.Attempts) != 1:
		return a.query(), false, "", fmt.Sprintf(
			"the marker took %d attempts, so its span's delay is not that of one answer",
			len(marker.Attempts),
		)
	case marker.Conn() == "" || marker.Conn() != rsp.Conn():
		return a.query(), false, "", fmt.Sprintf(
			"the marker went over connection %q, not the request's %q: the gateway closed it",
			marker.Conn(),
			rsp.Conn(),
		)
	}
	found, ok := SpanAssertion{in: a.in, ctx: a.ctx, query: spans.Of(a.in.Spans, marker.TraceID())}.await(
		spans.HaveSpan(spans.Server()),
		deadline,
		polling,
		false,
	)
	if !ok {
		return a.query(), false, "", fmt.Sprintf("the marker's span (trace %s, sent over the request's connection %s) "+
			"did not arrive within the wait", marker.TraceID(), rsp.Conn())
	}
	server := spans.Matching(found.Spans, spans.Server())[0]
	delay := server.Received.Sub(marker.Received)
	window := a.in.Config.AbsenceWindow(delay)
	rcv, matched = a.await(matcher, time.Now().Add(window), polling, false)
	proof = fmt.Sprintf(
		"a sampled marker (trace %s) sent after the response over the same connection (%s) had its SERVER span arrive %s after its answer, "+
			"and no matching span came in the %s after that (the absence window: its delay x%g, at least exportDelay %s x%g, at most the wait %s)",
		marker.TraceID(),
		rsp.Conn(),
		round(delay),
		round(window),
		a.in.Config.Absence.MarkerFactor,
		a.in.Config.Environment.ExportDelay,
		a.in.Config.Absence.ExportDelayFactor,
		a.in.Config.MustWait(config.WaitAbsence).Describe(),
	)
	return rcv, matched, proof, ""
}

// explainProved is the failure of a check whose spans arrived, none matching, and were proved
// complete by proveComplete's marker.
func (a SpanAssertion) explainProved(rcv spans.Received, span config.Wait, started time.Time, proof string, description []any) string {
	var b strings.Builder
	if len(description) > 0 {
		fmt.Fprintf(&b, fmt.Sprint(description[0]), description[1:]...)
		b.WriteString("\n")
	}
	fmt.Fprintf(
		&b,
		"ARRIVED BUT DID NOT MATCH: %d span(s) for %s arrived and none matched; the check ended %s after it began, before the wait %s ran out, "+
			"because nothing more could arrive: %s. The closest span and each difference follow.",
		len(rcv.Spans),
		rcv.Query,
		round(time.Since(started)),
		span.Describe(),
		proof,
	)
	if a.in.Diagnostics != nil {
		fmt.Fprintf(&b, " Receiver: %s.", a.in.Diagnostics())
	}
	return b.String() + "\n"
}
