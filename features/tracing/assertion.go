package tracing

import (
	"context"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/framework/wait"
)

// SpanAssertion waits within the named wait "span" for a span query to satisfy a matcher,
// looking again at each poll and, where the span source says when spans arrive
// (spans.Notifier), as soon as they do. It ends as soon as the verdict is certain: at a match;
// when spans of the request have arrived and none matches, once a marker proves that nothing
// more can arrive (mismatch.go); else when the wait runs out. A failure says which wait or proof
// ended it, where its timeout came from, and what happened: the span never arrived, arrived late
// (the suite keeps listening for the "lateSpan" wait), or arrived without matching.
type SpanAssertion struct {
	in    Input
	ctx   context.Context
	query func() spans.Received
	// rsp is the response whose spans the query finds, when there is one: a marker can follow
	// it over its connection (mismatch.go).
	rsp *request.Response
}

// Should passes when the query's result satisfies matcher within the span wait.
func (a SpanAssertion) Should(matcher types.GomegaMatcher, description ...any) bool {
	GinkgoHelper()
	w := a.in.Config.MustWait(config.WaitSpan)
	started := time.Now()
	deadline := started.Add(w.Timeout)
	rcv, ok := a.await(matcher, deadline, w.Polling, a.rsp != nil)
	unproved := "the check has no response to send a marker after"
	if !ok && a.rsp != nil && len(rcv.Spans) > 0 {
		var proof string
		rcv, ok, proof, unproved = a.proveComplete(matcher, deadline, w.Polling)
		if !ok && proof != "" {
			recordVerdict(a.rsp, false)
			return Expect(rcv).To(matcher, func() string { return a.explainProved(rcv, w, started, proof, description) })
		}
	}
	if !ok {
		rcv, ok = a.await(matcher, deadline, w.Polling, false)
	}
	recordVerdict(a.rsp, ok)
	if ok {
		return true
	}
	return Expect(rcv).To(matcher, func() string { return a.explain(matcher, w, started, unproved, description) })
}

// await looks at the query until matcher matches it, deadline passes or the context ends, or,
// with early, as soon as spans have arrived and none matches. It looks again at each poll and,
// where the span source says when spans arrive, at each arrival. It returns what it last saw.
func (a SpanAssertion) await(matcher types.GomegaMatcher, deadline time.Time, polling time.Duration, early bool) (spans.Received, bool) {
	notifier, _ := a.in.Spans.(spans.Notifier)
	for {
		var arrived <-chan struct{} // nil, which never fires, without a notifier
		if notifier != nil {
			arrived = notifier.Changed() // taken before the query: an arrival during it still wakes
		}
		rcv := a.query()
		if ok, err := matcher.Match(rcv); ok && err == nil {
			return rcv, true
		}
		left := time.Until(deadline)
		if (early && len(rcv.Spans) > 0) || left <= 0 || a.ctx.Err() != nil {
			return rcv, false
		}
		poll := time.NewTimer(min(polling, left))
		select {
		case <-arrived:
		case <-poll.C:
		case <-a.ctx.Done():
		}
		poll.Stop()
	}
}

// ShouldArriveThen waits within the span wait for a span meeting identify (such as its kind),
// then checks at once that such a span also meets check. A span does not change once it has
// arrived, so waiting on for a mismatch to go away would only make a failure slow.
func (a SpanAssertion) ShouldArriveThen(identify []spans.Criterion, check ...spans.Criterion) bool {
	GinkgoHelper()
	if !a.Should(spans.HaveSpan(identify...)) {
		return false
	}
	// HaveSpanOf: the differences are those of the span identified, not of another that misses
	// as few criteria.
	return Expect(a.query()).To(spans.HaveSpanOf(identify, check...),
		"ARRIVED BUT DID NOT MATCH: the span arrived and a span does not change once it has, so it was checked at once")
}

// ShouldArriveOnceThen is ShouldArriveThen where identify picks the one span a request must
// give of a role (such as the gateway's SERVER span, child of the caller): a second span
// meeting identify fails it, shown beside the first in the tree. Spans the gateway exports in
// one batch are checked together; a second span exported later than the first is not waited for.
func (a SpanAssertion) ShouldArriveOnceThen(identify []spans.Criterion, check ...spans.Criterion) bool {
	GinkgoHelper()
	if !a.Should(spans.HaveSpan(identify...)) {
		return false
	}
	return Expect(a.query()).To(spans.HaveOneSpanOf(identify, check...),
		"ARRIVED BUT DID NOT MATCH: the span arrived and a span does not change once it has, so it was checked at once")
}

// explain runs once the span wait has run out: it keeps polling for the lateSpan wait to see
// whether the span comes late, then classifies the failure. A span that came late is a
// difference of its own (difference.Note); the matcher's message lists the others.
func (a SpanAssertion) explain(
	matcher types.GomegaMatcher,
	span config.Wait,
	started time.Time,
	unproved string,
	description []any,
) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Timed out after %.3fs.\n", time.Since(started).Seconds())
	if len(description) > 0 {
		fmt.Fprintf(&b, fmt.Sprint(description[0]), description[1:]...)
		b.WriteString("\n")
	}
	ranOut := time.Since(started)
	late := a.in.Config.MustWait(config.WaitLateSpan)
	arrived := wait.For(a.ctx, late, "a late span", func(context.Context) (bool, string, error) {
		ok, _ := matcher.Match(a.query())
		return ok, "", nil
	}) == nil
	if arrived {
		after := round(time.Since(started) - ranOut)
		fmt.Fprintf(&b, "ARRIVED LATE: a matching span arrived %s after the wait %s ran out (%s after the response). "+
			"Raise waits.%s.%s (or E2E_TIMEOUT_SCALE), or lower the gateway's export delay (exportDelay %s in environment %s).\n"+
			"What the wait had seen when it ran out:",
			after, span.Describe(), round(time.Since(started)), a.in.Config.Environment.Name, span.Name,
			a.in.Config.Environment.ExportDelay, a.in.Config.Environment.Name)
		return difference.Note(b.String(), difference.Difference{
			Expected: "a matching span within the wait " + span.Describe(),
			Got:      "a matching span " + after.String() + " after the wait ran out",
			Shown:    "ARRIVED LATE: a matching span arrived " + after.String() + " after the wait",
		})
	}
	rcv := a.query()
	if len(rcv.Spans) == 0 {
		fmt.Fprintf(&b, "NEVER ARRIVED: no span for %s reached the receiver within the wait %s, nor in the %s after it (wait %s).",
			rcv.Query, span.Describe(), late.Timeout, late.Name)
	} else {
		fmt.Fprintf(
			&b,
			"ARRIVED BUT DID NOT MATCH: %d span(s) for %s arrived within the wait %s and none matched; the wait ended as it ran out, "+
				"with no proof that nothing more could arrive (%s). The closest span and each difference follow.",
			len(rcv.Spans),
			rcv.Query,
			span.Describe(),
			unproved,
		)
	}
	if a.in.Diagnostics != nil {
		fmt.Fprintf(&b, " Receiver: %s.", a.in.Diagnostics())
	}
	return b.String() + "\n"
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
