package conventions

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	older "go.opentelemetry.io/otel/semconv/v1.20.0"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/tracegate/tracegate/framework/spans"
)

// Naming is the attribute names a profile's gateway uses (implementations.<name>.attributeNaming).
type Naming string

// The namings a profile can declare.
const (
	// Semconv: the conventions' own names; an older name counts for nothing.
	Semconv Naming = "semconv"
	// Envoy: Envoy's tags, every value a string, which count as a declared deviation.
	Envoy Naming = "envoy"
)

// Envoy's own tag names (Tracing::Tags in Envoy's source, seen on 1.40.0). Its http.method,
// http.url and http.status_code are the older conventions' names (semantic conventions 1.20).
const (
	envoyProtocol        = "http.protocol"    // "HTTP/1.1"
	envoyPeerAddress     = "peer.address"     // the downstream address, or host:port of the upstream on a CLIENT span
	envoyUserAgent       = "user_agent"       // the User-Agent header
	envoyUpstreamAddress = "upstream_address" // host:port of the upstream
	envoyRequestSize     = "request_size"     // request body bytes, as a string
	envoyResponseSize    = "response_size"    // response body bytes, as a string
)

// olderName is where Envoy keeps what an attribute of the conventions holds: the older
// attribute, and how to read the conventions' value (and type) from it.
type olderName struct {
	name string
	read func(string) (any, bool)
}

// envoyNames are, per span kind and attribute of the conventions, Envoy's older names.
var envoyNames = map[spans.Kind]map[attribute.Key]olderName{
	spans.KindServer: {
		semconv.HTTPRequestMethodKey:      {string(older.HTTPMethodKey), asIs},
		semconv.URLPathKey:                {string(older.HTTPURLKey), urlPart(func(u *url.URL) string { return u.EscapedPath() })},
		semconv.URLQueryKey:               {string(older.HTTPURLKey), urlPart(func(u *url.URL) string { return u.RawQuery })},
		semconv.URLSchemeKey:              {string(older.HTTPURLKey), urlPart(func(u *url.URL) string { return u.Scheme })},
		semconv.ServerAddressKey:          {string(older.HTTPURLKey), urlPart(func(u *url.URL) string { return u.Hostname() })},
		semconv.ServerPortKey:             {string(older.HTTPURLKey), number(urlPart(func(u *url.URL) string { return u.Port() }))},
		semconv.HTTPResponseStatusCodeKey: {string(older.HTTPStatusCodeKey), number(asIs)},
		semconv.NetworkProtocolVersionKey: {envoyProtocol, protocolVersion},
		semconv.ClientAddressKey:          {envoyPeerAddress, hostOf},
		semconv.NetworkPeerAddressKey:     {envoyPeerAddress, hostOf},
		semconv.NetworkPeerPortKey:        {envoyPeerAddress, number(portOf)},
		semconv.UserAgentOriginalKey:      {envoyUserAgent, asIs},
		semconv.HTTPRequestBodySizeKey:    {envoyRequestSize, number(asIs)},
		semconv.HTTPResponseBodySizeKey:   {envoyResponseSize, number(asIs)},
	},
	spans.KindClient: {
		semconv.HTTPRequestMethodKey:      {string(older.HTTPMethodKey), asIs},
		semconv.URLFullKey:                {string(older.HTTPURLKey), asIs},
		semconv.ServerAddressKey:          {envoyUpstreamAddress, hostOf},
		semconv.ServerPortKey:             {envoyUpstreamAddress, number(portOf)},
		semconv.HTTPResponseStatusCodeKey: {string(older.HTTPStatusCodeKey), number(asIs)},
		semconv.NetworkProtocolVersionKey: {envoyProtocol, protocolVersion},
		semconv.NetworkPeerAddressKey:     {envoyPeerAddress, hostOf},
		semconv.NetworkPeerPortKey:        {envoyPeerAddress, number(portOf)},
		semconv.HTTPRequestBodySizeKey:    {envoyRequestSize, number(asIs)},
		semconv.HTTPResponseBodySizeKey:   {envoyResponseSize, number(asIs)},
	},
}

func asIs(s string) (any, bool) { return s, s != "" }

// number reads a decimal string as the int the conventions want; anything else stays a string
// and so scores wrong-type.
func number(read func(string) (any, bool)) func(string) (any, bool) {
	return func(s string) (any, bool) {
		v, ok := read(s)
		if str, isString := v.(string); ok && isString {
			if n, err := strconv.ParseInt(str, 10, 64); err == nil {
				return n, true
			}
		}
		return v, ok
	}
}

func urlPart(part func(*url.URL) string) func(string) (any, bool) {
	return func(s string) (any, bool) {
		u, err := url.Parse(s)
		if err != nil {
			return nil, false
		}
		v := part(u)
		return v, v != ""
	}
}

func protocolVersion(s string) (any, bool) {
	v, ok := strings.CutPrefix(s, "HTTP/")
	return v, ok && v != ""
}

func hostOf(s string) (any, bool) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		return host, host != ""
	}
	return s, s != ""
}

func portOf(s string) (any, bool) {
	_, port, err := net.SplitHostPort(s)
	return port, err == nil && port != ""
}
