package tracing

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/conventions"
	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
	"github.com/tracegate/tracegate/framework/verdict"
)

// SemanticConventions scores the gateway's HTTP SERVER span, and its CLIENT span where the
// profile lists UpstreamSpan, against the OpenTelemetry semantic conventions' HTTP span
// attributes (framework/conventions), one table row per request and span kind: each attribute at
// its requirement level, with its type and the value the request implies, or the form the
// conventions fix. The conventions' Required and Conditionally Required (where the condition
// holds) are the row's MUST: one missing, or any attribute of the wrong type or value at any
// level (a value the scorer cannot read among them), fails the row, or makes it the deviation a
// profile declares. Recommended and Opt-In are below MUST: a recommended one missing, or one
// set where the convention says not to, makes the row advisory, never a failure nor a deviation
// to declare. Envoy's older names (attributeNaming envoy) make it a deviation, never a pass.
// Every row adds its per-attribute table, and its span name against the convention's
// recommendation (informational), to the conformance report.
var SemanticConventions = register(Feature{
	Name:      "SemanticConventions",
	Title:     "Semantic conventions",
	Standards: []report.Standard{conventions.Standard},
	Section:   conventions.ReportSection{},
	Specs: func(in *Input) {
		DescribeTable("HTTP span attributes by requirement level", table(semconvRows, "", func(ctx SpecContext, row semconvRow) {
			in.skipWithoutClientSpan(row.table.Kind)
			x := row.exchange(in.Gateway.BaseURL())
			var card conventions.Card
			in.conformOrDeviate("SemanticConventions", row.id, func() {
				By("sending " + x.String())
				rsp := in.Gateway.Send(ctx, semconvOptions(x)...)
				Expect(rsp).To(request.HaveStatus(x.Status))

				By(fmt.Sprintf("scoring the gateway's %s span against semantic conventions %s", row.table.Kind, conventions.Version))
				naming := conventions.Naming(in.Config.Implementation.AttributeNaming)
				card = conventions.Score(in.httpSpan(ctx, rsp, row.table.Kind), row.table, x, naming)
				AddReportEntry(conventions.EntryName, card.Report(), ReportEntryVisibilityNever)
				Expect(card).To(conventions.MeetRequirements())
			})
			in.semconvVerdict(card)
		})...)
	},
})

// semconvRow is one row of the table: a request, and the kind of span scored for it.
type semconvRow struct {
	id    string
	name  string
	x     conventions.Exchange
	table conventions.Table
}

// The requests whose spans are scored, each making another condition of the conventions hold: a
// port in the Host (server.port), a query (url.query), a server error (error.type) and a method
// the conventions do not know (_OTHER, http.request.method_original).
var (
	semconvGet    = semconvExchange(contract.SemconvGet, http.StatusOK)
	semconvQuery  = semconvExchange(contract.SemconvQuery, http.StatusOK)
	semconvError  = semconvExchange(contract.SemconvError, http.StatusInternalServerError)
	semconvMethod = semconvExchange(contract.SemconvMethod, http.StatusOK)
)

// semconvExchange is the exchange of a route of the fixture contract, answered status.
func semconvExchange(r contract.Route, status int) conventions.Exchange {
	x := conventions.Exchange{Method: r.MethodOrGet(), Host: r.Host, Status: status}
	if host, port, err := net.SplitHostPort(r.Host); err == nil {
		x.Host = host
		x.Port, _ = strconv.Atoi(port)
	}
	x.Path, x.Query, _ = strings.Cut(r.Path, "?")
	return x
}

// semconvRows are the rows, named as a profile's deviations name them.
var semconvRows = []semconvRow{
	{
		id:    "semconv-server-get-port",
		name:  "the SERVER span of a GET with a port in its Host, answered 200",
		x:     semconvGet,
		table: conventions.Server,
	},
	{id: "semconv-server-query", name: "the SERVER span of a GET with a query string", x: semconvQuery, table: conventions.Server},
	{id: "semconv-server-post-500", name: "the SERVER span of a POST the upstream answers 500", x: semconvError, table: conventions.Server},
	{
		id:    "semconv-server-unknown-method",
		name:  "the SERVER span of a request of the unknown method PURGE",
		x:     semconvMethod,
		table: conventions.Server,
	},
	{
		id:    "semconv-client-get-port",
		name:  "the CLIENT span of a GET with a port in its Host, answered 200",
		x:     semconvGet,
		table: conventions.Client,
	},
	{id: "semconv-client-query", name: "the CLIENT span of a GET with a query string", x: semconvQuery, table: conventions.Client},
	{id: "semconv-client-post-500", name: "the CLIENT span of a POST the upstream answers 500", x: semconvError, table: conventions.Client},
	{
		id:    "semconv-client-unknown-method",
		name:  "the CLIENT span of a request of the unknown method PURGE",
		x:     semconvMethod,
		table: conventions.Client,
	},
}

// semconvUserAgent is every row's User-Agent, for user_agent.original.
const semconvUserAgent = "tracegate-semconv/1.0"

// exchange is the row's request as sent through the gateway at baseURL.
func (r semconvRow) exchange(baseURL string) conventions.Exchange {
	x := r.x
	x.UserAgent, x.Scheme = semconvUserAgent, "http"
	if u, err := url.Parse(baseURL); err == nil {
		x.Scheme = u.Scheme
	}
	return x
}

func semconvOptions(x conventions.Exchange) []request.Option {
	opts := []request.Option{
		request.Method(x.Method),
		request.Host(x.HostHeader()),
		request.Path(x.Target()),
		request.Header("User-Agent", x.UserAgent),
	}
	if x.Status != http.StatusOK {
		// 500, not 503: the request policy may treat 502-504 as transient and retry them.
		opts = append(opts, request.Header(echo.StatusHeader, strconv.Itoa(x.Status)))
	}
	return opts
}

// skipWithoutClientSpan makes a CLIENT row not applicable to a profile that opens no client span.
func (in Input) skipWithoutClientSpan(kind spans.Kind) {
	impl := in.Config.Implementation
	if kind == spans.KindClient && !impl.Supports("UpstreamSpan") {
		verdict.End(verdict.NotApplicable, fmt.Sprintf("%s %s opens no CLIENT span to score "+
			"(implementations.%s.features in %s does not list UpstreamSpan)",
			impl.Name, impl.Version, impl.Name, in.Config.ImplementationFile()))
	}
}

// httpSpan waits for the gateway's span of the kind for the response: the SERVER span the
// caller's traceparent parents, or the CLIENT span the upstream's traceparent points at.
func (in Input) httpSpan(ctx SpecContext, rsp *request.Response, kind spans.Kind) spans.Span {
	GinkgoHelper()
	if kind == spans.KindClient {
		Expect(rsp).To(request.HaveUpstreamTraceParent())
		upstream, _ := rsp.UpstreamTraceParent()
		return in.awaitSpan(ctx, rsp, upstream.ParentID, spans.Client())
	}
	server := []spans.Criterion{spans.Server(), spans.ChildOf(rsp.ParentID())}
	in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(server...))
	return spans.Matching(spans.Of(in.Spans, rsp.TraceID())().Spans, server...)[0]
}

// semconvVerdict ends a row that met every requirement: a deviation where attributes were read
// from the Envoy names the profile declares, advisory where only what is below required is not
// met (a recommended attribute missing, one set where the convention says not to): the
// conventions' Required and Conditionally Required are its MUST, Recommended below it.
func (in Input) semconvVerdict(card conventions.Card) {
	if kind, reason := semconvOutcome(card, in.Config.Implementation, in.Config.ImplementationFile()); kind != verdict.Passed {
		verdict.End(kind, reason)
	}
}

// semconvOutcome is how a row whose card met every requirement ends, and why: passed, a
// deviation (Envoy's older names, which the profile impl in file declares), or advisory (only
// what is below required not met).
func semconvOutcome(card conventions.Card, impl config.Implementation, file string) (verdict.Kind, string) {
	gaps := strings.Join(card.Gaps(), "; ")
	if d := card.Deviations(); len(d) > 0 {
		reason := fmt.Sprintf("attributeNaming %s (implementations.%s.attributeNaming in %s): scored against Envoy's older names, %s",
			impl.AttributeNaming, impl.Name, file, strings.Join(d, "; "))
		if gaps != "" {
			reason += "; not met either: " + gaps
		}
		return verdict.Deviation, reason
	}
	if gaps != "" {
		return verdict.Advisory, "every required attribute is right; not met below required: " + gaps
	}
	return verdict.Passed, ""
}
