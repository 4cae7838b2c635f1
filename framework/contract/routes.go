package contract

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/echo"
)

// The suite's own requests, whatever the profile lists.
var (
	// Ready is the ready path of the fixtures (implementations.<name>.local.readyPath).
	Ready = Route{Path: "/tracegate/ready", Upstream: None,
		Gateway: "answer `ready {{.ReadyToken}}` with status 200, untraced: the suite polls the profile's readyPath until it does (a config " +
			"without the token is taken on any status below 500, and a process that took the port can pass for the gateway)"}
	// Converged is sent until the gateway answers it several times in a row, before the specs.
	Converged = Route{Host: "converged.example.com", Path: "/tracegate/converged", Upstream: Echo, Gateway: "answer 200"}
)

// The requests of each feature, by feature.
var (
	SpanNameDefault = Route{Feature: "SpanName", Host: "test-really-cool-hostname.com", Path: "/path/without/route/descriptor", Upstream: Echo,
		Gateway: "name the SERVER span as `spanNames.default` says (`{host}`: this Host)"}
	SpanNameDecorated = Route{
		Feature:   "SpanName",
		Host:      "example.com",
		Path:      "/path/with/route/descriptor",
		Upstream:  Echo,
		Own:       OwnPath,
		Decorated: true,
		Gateway: "name the SERVER span `spanNames.decorated` (THISISAROUTEDESCRIPTOR unless the profile says otherwise; " +
			"none needed where it is empty)",
	}

	PropagationIncoming = Route{Feature: "Propagation", Host: "propagation.example.com", Path: "/propagation/incoming", Upstream: Echo,
		Gateway: "continue the caller's traceparent: the SERVER span is its child"}
	PropagationUpstream = Route{Feature: "Propagation", Host: "propagation.example.com", Path: "/propagation/upstream", Upstream: Echo,
		Gateway: "send the upstream a traceparent in the caller's trace whose parent is the gateway's span"}

	ErrorStatusFailed = Route{
		Feature:  "ErrorStatus",
		Host:     "errors.example.com",
		Path:     "/error/status",
		Headers:  []string{echo.StatusHeader + ": 500"},
		Upstream: Echo,
		Gateway:  "pass on the upstream's 500; SERVER span status ERROR",
	}
	ErrorStatusOK = Route{
		Feature:  "ErrorStatus",
		Host:     "errors.example.com",
		Path:     "/error/none",
		Upstream: Echo,
		Gateway:  "SERVER span status not ERROR",
	}

	RequestAttributes = Route{
		Feature:  "RequestAttributes",
		Host:     "attributes.example.com",
		Path:     "/request/attributes",
		Method:   http.MethodPost,
		Upstream: Echo,
		Gateway:  "record method, path, status code and server address (`attributeNaming`)",
	}

	CustomAttributes = Route{
		Feature:  "CustomAttributes",
		Host:     "custom.example.com",
		Path:     "/custom/attributes",
		Headers:  []string{HeaderName + ": " + HeaderValue},
		Upstream: Echo,
		Variant:  "the main gateway and each variant",
		Gateway:  "add the custom attributes below to the SERVER span",
	}

	ResourceAttributes = Route{
		Feature:  "ResourceAttributes",
		Host:     "resource.example.com",
		Path:     "/resource/attributes",
		Upstream: Echo,
		Variant:  "the main gateway and each variant",
		Gateway:  "export with `serviceName` and `resourceAttributes` on the resource",
	}

	// SamplingZero and SamplingCallerOff are each followed, over the same connection, by a
	// marker: a request to the same route with a sampled traceparent and a Host of its own,
	// whose span arriving, found by its Host, shows that the export path carried what came
	// before it and that the Host identifies the spans that must not arrive.
	SamplingZero = Route{
		Feature:  "Sampling",
		Host:     "sampling-zero-*.example.com",
		Path:     "/sampling/zero",
		Variant:  SamplingZeroVariant.Name,
		Upstream: Echo,
		Gateway: "no traceparent (samplingTraces requests, each a new trace): export no span; a sampled traceparent (the marker): " +
			"export its span, with its Host in an attribute",
	}
	SamplingFull = Route{Feature: "Sampling", Host: "sampling-full-*.example.com", Path: "/sampling/full", Upstream: Echo,
		Gateway: "no traceparent: start a trace, a root SERVER span"}
	SamplingCallerOff = Route{Feature: "Sampling", Host: "sampling-caller-off-*.example.com", Path: "/sampling/caller-off", Upstream: Echo,
		Gateway: "a caller's unsampled traceparent (00): export no span, in that trace or a new one; a sampled traceparent (the marker): " +
			"export its span, with its Host in an attribute"}
	SamplingCallerOn = Route{
		Feature:  "Sampling",
		Host:     "sampling.example.com",
		Path:     "/sampling/caller-on",
		Variant:  SamplingZeroVariant.Name,
		Upstream: Echo,
		Gateway:  "a caller's sampled traceparent (01): export its span",
	}

	// StatusFromUpstream's * is the status the upstream answers (each of UpstreamStatuses),
	// also in its header.
	StatusFromUpstream = Route{
		Feature:  "StatusMatrix",
		Host:     "status.example.com",
		Path:     "/status/*",
		Headers:  []string{echo.StatusHeader + ": " + statuses(UpstreamStatuses)},
		Upstream: Echo,
		Gateway:  "pass on the upstream's status",
	}
	StatusNoRoute = Route{Feature: "StatusMatrix", Host: "noroute.example.net", Path: "/status/no-route", Upstream: None, Own: OwnHost,
		Gateway: "answer 404 itself: the gateway has no route for this request"}
	StatusRefused = Route{
		Feature:  "StatusMatrix",
		Host:     "refused.status.example.com",
		Path:     "/status/refused",
		Upstream: Refused,
		Own:      OwnHost,
		Gateway:  "answer a 5xx: the upstream refuses the connection",
	}
	StatusTimeout = Route{
		Feature:  "StatusMatrix",
		Host:     "timeout.status.example.com",
		Path:     "/status/timeout",
		Headers:  []string{echo.HoldHeader + ": 1"},
		Upstream: Echo,
		Timeout:  UpstreamTimeout,
		Own:      OwnHost,
		Gateway:  "answer 504: the upstream holds its answer past the route's timeout",
	}

	TraceContext = Route{
		Feature:  "TraceContext",
		Host:     "tracecontext.example.com",
		Path:     "/trace/context",
		Headers:  []string{"traceparent and tracestate as each W3C case has them"},
		Upstream: Echo,
		Gateway:  "continue a valid traceparent, start a new trace for an invalid one, pass tracestate on with a valid one",
	}

	TraceStateForwarded = Route{
		Feature:  "TraceState",
		Host:     "tracestate.example.com",
		Path:     "/trace/state/forwarded",
		Headers:  []string{"tracestate"},
		Upstream: Echo,
		Gateway:  "pass the caller's tracestate on unchanged",
	}
	TraceStatePassThrough = Route{
		Feature:  "TraceState",
		Host:     "tracestate.example.com",
		Path:     "/trace/state/pass-through",
		Headers:  []string{"traceparent", "tracestate"},
		Upstream: Echo,
		Variant:  TracingOffVariant.Name,
		Gateway:  "trace nothing: pass the caller's traceparent and tracestate on byte for byte",
	}
	TraceStateRecorded = Route{
		Feature:  "TraceState",
		Host:     "tracestate.example.com",
		Path:     "/trace/state/recorded",
		Headers:  []string{"tracestate"},
		Upstream: Echo,
		Gateway:  "record the caller's tracestate on the SERVER span",
	}

	UpstreamSpan = Route{Feature: "UpstreamSpan", Host: "upstream.example.com", Path: "/upstream/span", Upstream: Echo,
		Gateway: "open a CLIENT span for the upstream call, child of the SERVER span, and hand it to the upstream"}

	// SemanticConventions' requests: the Host carries a port in one, GET and POST and an
	// unknown method, a query string and a server error.
	SemconvGet = Route{
		Feature:  "SemanticConventions",
		Host:     "semconv.example.com:8443",
		Path:     "/semconv/attributes",
		Headers:  []string{"User-Agent"},
		Upstream: Echo,
		Gateway:  "the HTTP span attributes of the OpenTelemetry semantic conventions, on the SERVER (and CLIENT) span",
	}
	SemconvQuery = Route{
		Feature:  "SemanticConventions",
		Host:     "semconv.example.com",
		Path:     "/semconv/query?q=semconv&lang=go",
		Headers:  []string{"User-Agent"},
		Upstream: Echo,
		Gateway:  "likewise, with url.query",
	}
	SemconvError = Route{
		Feature:  "SemanticConventions",
		Host:     "semconv.example.com",
		Path:     "/semconv/error",
		Method:   http.MethodPost,
		Headers:  []string{"User-Agent", echo.StatusHeader + ": 500"},
		Upstream: Echo,
		Gateway:  "likewise, with error.type",
	}
	SemconvMethod = Route{
		Feature:  "SemanticConventions",
		Host:     "semconv.example.com",
		Path:     "/semconv/method",
		Method:   "PURGE",
		Headers:  []string{"User-Agent"},
		Upstream: Echo,
		Gateway:  "route a method it does not know, and record it as `_OTHER`",
	}
)

// UpstreamStatuses are the statuses StatusMatrix has the upstream answer with.
var UpstreamStatuses = []int{http.StatusOK, http.StatusFound, http.StatusNotFound, http.StatusInternalServerError}

func statuses(codes []int) string {
	var s []string
	for _, c := range codes {
		s = append(s, strconv.Itoa(c))
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// UpstreamTimeout is how long the gateway waits for the upstream on StatusTimeout's route
// before it answers 504.
const UpstreamTimeout = 100 * time.Millisecond

// Routes is every request, the suite's first, then by feature.
var Routes = []Route{
	Ready, Converged,
	CustomAttributes,
	ErrorStatusFailed, ErrorStatusOK,
	PropagationIncoming, PropagationUpstream,
	RequestAttributes,
	ResourceAttributes,
	SamplingZero, SamplingFull, SamplingCallerOff, SamplingCallerOn,
	SemconvGet, SemconvQuery, SemconvError, SemconvMethod,
	SpanNameDefault, SpanNameDecorated,
	StatusFromUpstream, StatusNoRoute, StatusRefused, StatusTimeout,
	TraceContext,
	TraceStateForwarded, TraceStatePassThrough, TraceStateRecorded,
	UpstreamSpan,
}

// What a gateway's config must add to its spans for CustomAttributes: a literal attribute, one
// copied from a request header, and one read from an environment variable of the gateway process.
const (
	LiteralAttribute     = "tracegate.literal"
	LiteralValue         = "literal-value"
	HeaderAttribute      = "tracegate.header"
	HeaderName           = "X-Tracegate-Header"
	HeaderValue          = "from-the-request" // what the CustomAttributes request sends in it
	EnvironmentAttribute = "tracegate.env"
	EnvironmentVariable  = "TRACEGATE_ENV_ATTRIBUTE"
	EnvironmentValue     = "from-environment"
)

// Attribute is a span attribute a feature needs the gateway's config to add.
type Attribute struct {
	Feature string
	Name    string
	// From is where its value comes from, in the words of the listing.
	From string
}

// Attributes are the attributes the gateway's config adds.
var Attributes = []Attribute{
	{Feature: "CustomAttributes", Name: LiteralAttribute, From: "the literal `" + LiteralValue + "`"},
	{Feature: "CustomAttributes", Name: HeaderAttribute, From: "the request header `" + HeaderName + "`"},
	{Feature: "CustomAttributes", Name: EnvironmentAttribute, From: "the gateway's environment variable `" + EnvironmentVariable +
		"`, which the profile's `local.env` sets to `" + EnvironmentValue + "`"},
}
