// Package tracing holds the tracing feature specs: reusable Describe bodies, each labelled with
// the feature it checks, that any suite can wire to any environment.
package tracing

import (
	"context"
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// Input is what every tracing spec needs. Suites pass a function returning it, because the
// environment only exists once the suite has started.
type Input struct {
	// Gateway sends requests through the gateway under test.
	Gateway *request.Client
	// Spans is where the spans the gateway exported are looked up.
	Spans spans.Source
	// Config supplies the named waits and the implementation profile.
	Config *config.Config
	// Variant returns a client for a second gateway of the same implementation, configured
	// differently (e.g. "sampling-zero"), started on first use.
	Variant func(ctx context.Context, name string) (*request.Client, error)
	// Diagnostics, if set, says what the receiver got (requests per protocol, spans stored and
	// dropped), for a span that never arrived.
	Diagnostics func() string
	// Skip are IDs of specs and rows not to run (conformance.WithSkip, E2E_SKIP): each is
	// skipped with that reason; an ID of a trace-context row skips its run over HTTP/2 too.
	Skip []string
}

func (in Input) validate(spec string) {
	GinkgoHelper()
	Expect(in.Gateway).NotTo(BeNil(), "Input.Gateway can't be nil when calling the %s spec", spec)
	Expect(in.Spans).NotTo(BeNil(), "Input.Spans can't be nil when calling the %s spec", spec)
	Expect(in.Config).NotTo(BeNil(), "Input.Config can't be nil when calling the %s spec", spec)
}

// EventuallySpans polls the spans of the response's trace within the named wait "span".
func (in Input) EventuallySpans(ctx context.Context, rsp *request.Response) SpanAssertion {
	return in.eventuallyFor(ctx, rsp, spans.Of(in.Spans, rsp.TraceID()))
}

// eventuallyFor polls query, which finds the spans of the request rsp answered in its trace,
// within the named wait "span". Only a query by trace: a mismatch sends a marker under a trace
// of its own but with rsp's Host (mismatch.go), which a query by Host would find.
func (in Input) eventuallyFor(ctx context.Context, rsp *request.Response, query func() spans.Received) SpanAssertion {
	return SpanAssertion{in: in, ctx: ctx, query: query, rsp: rsp}
}

// EventuallyFound polls a span query within the named wait "span".
func (in Input) EventuallyFound(ctx context.Context, query func() spans.Received) SpanAssertion {
	return SpanAssertion{in: in, ctx: ctx, query: query}
}

// awaitSpan waits for the span with the given id, meeting also, in the response's trace
// and returns it.
func (in Input) awaitSpan(ctx context.Context, rsp *request.Response, spanID string, also ...spans.Criterion) spans.Span {
	GinkgoHelper()
	in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(append([]spans.Criterion{spans.WithSpanID(spanID)}, also...)...))
	span, _ := spans.Of(in.Spans, rsp.TraceID())().Spans.ByID(spanID)
	return span
}

// ConsistentlyFound watches a span query for window, the absence window the marker request
// gave (sendWithMarker), polling as the named wait "absence" does.
func (in Input) ConsistentlyFound(ctx context.Context, window time.Duration, query func() spans.Received) types.AsyncAssertion {
	return Consistently(ctx, query).WithTimeout(window).WithPolling(min(in.Config.MustWait(config.WaitAbsence).Polling, window))
}

// Mentioning finds spans, in any trace, with an attribute value containing s.
func (in Input) Mentioning(s string) func() spans.Received { return spans.Mentioning(in.Spans, s) }

// uniqueHost returns the route's Host made one no other request uses, to find the spans of a
// trace the gateway starts itself.
func uniqueHost(r contract.Route) string { return r.HostWith(request.NewTraceParent(true).ParentID) }

// route is a request to a route of the fixture contract: its Host, path and method.
func route(r contract.Route) request.Option {
	opts := []request.Option{request.Host(r.Host), request.Path(r.Path), request.Method(r.MethodOrGet())}
	return func(q *request.Request) {
		for _, o := range opts {
			o(q)
		}
	}
}

// expectGatewaySpan waits within the span wait for the gateway's SERVER span for the request
// rsp answered, and checks at once that it is the only SERVER span of that request, the child
// of the caller's span the answering attempt carried (request.Response.ParentID; a root span
// when it carried no traceparent), and meets check. The spans a gateway opened for earlier
// attempts, each under a parent-id of its own, are no part of it; a second SERVER span of the
// request (beside the first, or under it) fails, shown in the tree.
func (in Input) expectGatewaySpan(ctx context.Context, rsp *request.Response, check ...spans.Criterion) {
	GinkgoHelper()
	parent := spans.Root()
	if p := rsp.ParentID(); p != "" {
		parent = spans.ChildOf(p)
	}
	in.eventuallyFor(ctx, rsp, in.answered(rsp)).ShouldArriveOnceThen(
		[]spans.Criterion{spans.Server()},
		append([]spans.Criterion{parent}, check...)...,
	)
}

// answered queries the spans of rsp's trace without those under an earlier attempt's parent-id.
func (in Input) answered(rsp *request.Response) func() spans.Received {
	var earlier []string
	for _, a := range rsp.Attempts {
		if a.ParentID != "" && a.ParentID != rsp.ParentID() {
			earlier = append(earlier, a.ParentID)
		}
	}
	query := spans.Of(in.Spans, rsp.TraceID())
	return func() spans.Received {
		rcv := query()
		if len(earlier) > 0 {
			rcv.Spans = spans.Outside(rcv.Spans, earlier...)
			rcv.Query += fmt.Sprintf(", without the spans under the %d earlier attempt(s)", len(earlier))
		}
		return rcv
	}
}

// eachGateway runs check with the main gateway and then with each variant the environment
// defines (config.Config.VariantNames), named for By steps: a traced variant differs from the
// main gateway in its sampling only (contract.Variant), so it is held to every other
// expectation. A variant that traces nothing (tracing-off), or of a feature the implementation
// does not list (kgateway's sampling-zero, without Sampling: it drops a caller's sampled trace
// too), exports nothing to judge, and is skipped with a step that says so.
func (in Input) eachGateway(ctx context.Context, check func(gateway string, gw *request.Client)) {
	GinkgoHelper()
	check("the main gateway", in.Gateway)
	for _, v := range in.Config.VariantNames() {
		i := slices.IndexFunc(contract.Variants, func(cv contract.Variant) bool { return cv.Name == v })
		switch {
		case i >= 0 && contract.Variants[i].Untraced:
			By(fmt.Sprintf("not judging variant %s: it traces nothing", v))
			continue
		case i >= 0 && !in.Config.Implementation.Supports(contract.Variants[i].Feature):
			// implementations.<name>.features does not list the variant's feature.
			By(fmt.Sprintf("not judging variant %s: the profile does not claim %s", v, contract.Variants[i].Feature))
			continue
		}
		check("variant "+v, in.gatewayVariant(ctx, v))
	}
}

// gatewayVariant returns the client of a named gateway variant, failing the spec if the
// environment cannot provide it.
func (in Input) gatewayVariant(ctx context.Context, name string) *request.Client {
	GinkgoHelper()
	Expect(in.Variant).NotTo(BeNil(), "Input.Variant can't be nil for specs that need gateway variants")
	gw, err := in.Variant(ctx, name)
	Expect(err).NotTo(HaveOccurred(), "starting gateway variant %q", name)
	return gw
}
