package conventions

import (
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/tracegate/tracegate/framework/report"
	"github.com/tracegate/tracegate/framework/spans"
)

// The tables below are the HTTP server and client span attributes of the OpenTelemetry semantic
// conventions at this release (docs/http/http-spans.md at tag v1.43.0 of
// open-telemetry/semantic-conventions), with the keys of the Go package generated for it: the
// newest the Go package has (go.opentelemetry.io/otel v1.47.0 has no semconv/v1.44.0). To move
// to a newer release, change the import and review every row against that release's table.
const SchemaURL = semconv.SchemaURL

// Version is the semantic-conventions release of the tables, e.g. 1.43.0.
var Version = SchemaURL[strings.LastIndex(SchemaURL, "/")+1:]

// Standard is the semantic conventions as the conformance report names them: the release the
// tables follow, identified by its schema URL.
var Standard = report.Standard{Name: "OpenTelemetry semantic conventions", Version: Version, URL: SchemaURL}

// Table is the attributes of one span kind.
type Table struct {
	Kind  spans.Kind
	Rules []Rule
}

// Server is the HTTP server span: the span a gateway opens for the request it receives.
var Server = Table{Kind: spans.KindServer, Rules: []Rule{
	{Key: semconv.HTTPRequestMethodKey, Level: Required, Type: String, Want: method},
	{Key: semconv.URLPathKey, Level: Required, Type: String, Want: func(x Exchange) Expect { return equal(x.Path) }},
	{Key: semconv.URLSchemeKey, Level: Required, Type: String, Want: func(x Exchange) Expect { return equal(x.Scheme) }},
	{Key: semconv.ErrorTypeKey, Level: ConditionallyRequired, Type: String, When: serverError, Want: errorType},
	{
		Key:   semconv.HTTPRequestMethodOriginalKey,
		Level: ConditionallyRequired,
		Type:  String,
		When:  unknownMethod,
		Want:  func(x Exchange) Expect { return equal(x.Method) },
	},
	{
		Key:   semconv.HTTPResponseStatusCodeKey,
		Level: ConditionallyRequired,
		Type:  Int,
		When:  statusSent,
		Want:  func(x Exchange) Expect { return equal(x.Status) },
	},
	{Key: semconv.HTTPRouteKey, Level: ConditionallyRequired, Type: String, When: routeAvailable, Want: routeTemplate},
	{
		Key:   semconv.NetworkProtocolNameKey,
		Level: ConditionallyRequired,
		Type:  String,
		When:  notHTTP,
		Want:  func(Exchange) Expect { return equal("http") },
	},
	{Key: semconv.ServerPortKey, Level: ConditionallyRequired, Type: Int, When: hostPort, Want: serverPort},
	{Key: semconv.URLQueryKey, Level: ConditionallyRequired, Type: String, When: querySent, Want: query},
	{Key: semconv.ClientAddressKey, Level: Recommended, Type: String, Want: ipAddress},
	{Key: semconv.NetworkPeerAddressKey, Level: Recommended, Type: String, Want: ipAddress},
	{Key: semconv.NetworkPeerPortKey, Level: Recommended, Type: Int, When: peerAddressSet, Want: portNumber},
	// The suite's client speaks HTTP/1.1 to the gateway.
	{Key: semconv.NetworkProtocolVersionKey, Level: Recommended, Type: String, Want: func(Exchange) Expect { return equal("1.1") }},
	{Key: semconv.ServerAddressKey, Level: Recommended, Type: String, Want: func(x Exchange) Expect { return equal(x.Host) }},
	{Key: semconv.UserAgentOriginalKey, Level: Recommended, Type: String, Want: func(x Exchange) Expect { return equal(x.UserAgent) }},
	{Key: semconv.ClientPortKey, Level: OptIn, Type: Int, Want: portNumber},
	{Key: semconv.HTTPRequestBodySizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.HTTPRequestHeader("").Key, Level: OptIn, Type: StringArray, Template: true},
	{Key: semconv.HTTPRequestSizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.HTTPResponseBodySizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.HTTPResponseHeader("").Key, Level: OptIn, Type: StringArray, Template: true},
	{Key: semconv.HTTPResponseSizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.NetworkLocalAddressKey, Level: OptIn, Type: String, Want: ipAddress},
	{Key: semconv.NetworkLocalPortKey, Level: OptIn, Type: Int, Want: portNumber},
	{
		Key:   semconv.NetworkTransportKey,
		Level: OptIn,
		Type:  String,
		Want:  func(Exchange) Expect { return equal(semconv.NetworkTransportTCP.Value.AsString()) },
	},
	{Key: semconv.UserAgentSyntheticTypeKey, Level: OptIn, Type: String, Want: syntheticType},
}}

// Client is the HTTP client span: the span a gateway opens for its call to the upstream. The
// upstream's address is the gateway's to choose, so server.address is checked for its form only;
// the request target and method go upstream unchanged.
var Client = Table{Kind: spans.KindClient, Rules: []Rule{
	{Key: semconv.HTTPRequestMethodKey, Level: Required, Type: String, Want: method},
	{Key: semconv.ServerAddressKey, Level: Required, Type: String, Want: hostName},
	{Key: semconv.ServerPortKey, Level: Required, Type: Int, Want: portNumber},
	{Key: semconv.URLFullKey, Level: Required, Type: String, Want: absoluteURL},
	{Key: semconv.ErrorTypeKey, Level: ConditionallyRequired, Type: String, When: clientError, Want: errorType},
	{
		Key:   semconv.HTTPRequestMethodOriginalKey,
		Level: ConditionallyRequired,
		Type:  String,
		When:  unknownMethod,
		Want:  func(x Exchange) Expect { return equal(x.Method) },
	},
	{
		Key:   semconv.HTTPResponseStatusCodeKey,
		Level: ConditionallyRequired,
		Type:  Int,
		When:  statusSent,
		Want:  func(x Exchange) Expect { return equal(x.Status) },
	},
	{
		Key:   semconv.NetworkProtocolNameKey,
		Level: ConditionallyRequired,
		Type:  String,
		When:  notHTTP,
		Want:  func(Exchange) Expect { return equal("http") },
	},
	{Key: semconv.HTTPRequestResendCountKey, Level: Recommended, Type: Int, When: retried, Want: positive},
	{Key: semconv.NetworkPeerAddressKey, Level: Recommended, Type: String, Want: ipAddress},
	{Key: semconv.NetworkPeerPortKey, Level: Recommended, Type: Int, When: peerAddressSet, Want: portNumber},
	// The gateway picks the protocol to the upstream.
	{Key: semconv.NetworkProtocolVersionKey, Level: Recommended, Type: String, Want: oneOf("1.0", "1.1", "2", "3")},
	{Key: semconv.HTTPRequestBodySizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.HTTPRequestHeader("").Key, Level: OptIn, Type: StringArray, Template: true},
	{Key: semconv.HTTPRequestSizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.HTTPResponseBodySizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{Key: semconv.HTTPResponseHeader("").Key, Level: OptIn, Type: StringArray, Template: true},
	{Key: semconv.HTTPResponseSizeKey, Level: OptIn, Type: Int, Want: nonNegative},
	{
		Key:   semconv.NetworkTransportKey,
		Level: OptIn,
		Type:  String,
		Want:  func(Exchange) Expect { return equal(semconv.NetworkTransportTCP.Value.AsString()) },
	},
	{Key: semconv.URLSchemeKey, Level: OptIn, Type: String, Want: oneOf("http", "https")},
	{Key: semconv.URLTemplateKey, Level: OptIn, Type: String, Want: routeTemplate},
	{Key: semconv.UserAgentOriginalKey, Level: OptIn, Type: String, Want: func(x Exchange) Expect { return equal(x.UserAgent) }},
	{Key: semconv.UserAgentSyntheticTypeKey, Level: OptIn, Type: String, Want: syntheticType},
}}

// knownMethods are the methods the conventions know (RFC 9110, PATCH and QUERY); any other is
// recorded as _OTHER, with the original in http.request.method_original.
var knownMethods = func() []string {
	var out []string
	for _, kv := range []attribute.KeyValue{semconv.HTTPRequestMethodConnect, semconv.HTTPRequestMethodDelete, semconv.HTTPRequestMethodGet,
		semconv.HTTPRequestMethodHead, semconv.HTTPRequestMethodOptions, semconv.HTTPRequestMethodPatch, semconv.HTTPRequestMethodPost,
		semconv.HTTPRequestMethodPut, semconv.HTTPRequestMethodTrace, semconv.HTTPRequestMethodQuery} {
		out = append(out, kv.Value.AsString())
	}
	return out
}()

// KnownMethod reports whether the conventions know the method.
func KnownMethod(m string) bool { return slices.Contains(knownMethods, m) }

// RecordedMethod is the http.request.method a request of method m gets: m, or _OTHER.
func RecordedMethod(m string) string {
	if KnownMethod(m) {
		return m
	}
	return semconv.HTTPRequestMethodOther.Value.AsString()
}

func method(x Exchange) Expect { return equal(RecordedMethod(x.Method)) }

// errorType: the conventions want the status code as a string where no exception or
// component-specific identifier says more, so any non-empty value is accepted.
func errorType(x Exchange) Expect {
	e := nonEmpty(x)
	e.Describe += " (the convention suggests " + strconv.Quote(strconv.Itoa(x.Status)) + ")"
	return e
}

// serverPort is the Host header's port where it has one; without one any port is accepted.
func serverPort(x Exchange) Expect {
	if x.Port == 0 {
		return portNumber(x)
	}
	return equal(x.Port)
}

func syntheticType(x Exchange) Expect {
	return oneOf(semconv.UserAgentSyntheticTypeBot.Value.AsString(), semconv.UserAgentSyntheticTypeTest.Value.AsString())(x)
}

func truth(b bool) Truth {
	if b {
		return Holds
	}
	return DoesNotHold
}

var (
	serverError = &Condition{Text: "if the request has ended with an error (a 5xx for a server)", OnlyIf: true,
		Holds: func(x Exchange, _ func(attribute.Key) bool) Truth { return truth(x.Status >= 500) }}
	clientError = &Condition{Text: "if the request has ended with an error (a 4xx or 5xx for a client)", OnlyIf: true,
		Holds: func(x Exchange, _ func(attribute.Key) bool) Truth { return truth(x.Status >= 400) }}
	unknownMethod = &Condition{Text: "if and only if it differs from http.request.method", OnlyIf: true,
		Holds: func(x Exchange, _ func(attribute.Key) bool) Truth { return truth(RecordedMethod(x.Method) != x.Method) }}
	statusSent = &Condition{Text: "if and only if one was received or sent", OnlyIf: true,
		Holds: func(x Exchange, _ func(attribute.Key) bool) Truth { return truth(x.Status != 0) }}
	querySent = &Condition{Text: "if and only if one was received or sent", OnlyIf: true,
		Holds: func(x Exchange, _ func(attribute.Key) bool) Truth { return truth(x.Query != "") }}
	// Whether the gateway has a route template for the request is not for the suite to see.
	routeAvailable = &Condition{Text: "if and only if it's available",
		Holds: func(Exchange, func(attribute.Key) bool) Truth { return Unknown }}
	notHTTP = &Condition{Text: "if not http and network.protocol.version is set",
		Holds: func(Exchange, func(attribute.Key) bool) Truth { return DoesNotHold }}
	hostPort = &Condition{Text: "if available and server.address is set",
		Holds: func(x Exchange, set func(attribute.Key) bool) Truth {
			return truth(x.Port != 0 && set(semconv.ServerAddressKey))
		}}
	peerAddressSet = &Condition{Text: "if network.peer.address is set",
		Holds: func(_ Exchange, set func(attribute.Key) bool) Truth { return truth(set(semconv.NetworkPeerAddressKey)) }}
	// A retry happens inside the gateway, out of the suite's sight.
	retried = &Condition{Text: "if and only if the request was retried",
		Holds: func(Exchange, func(attribute.Key) bool) Truth { return Unknown }}
)
