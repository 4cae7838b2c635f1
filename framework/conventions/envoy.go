package conventions

import (
	"fmt"
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
	read reader
}

// reader reads the conventions' value from an older attribute's string: nil for a value the
// string does not hold (a URL without a query has no url.query), an error for a string it
// cannot read (an http.protocol of "h2"), which scores wrong-value, never missing.
type reader func(string) (any, error)

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

func asIs(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	return s, nil
}

// number reads a decimal string as the int the conventions want; anything else stays a string
// and so scores wrong-type.
func number(read reader) reader {
	return func(s string) (any, error) {
		v, err := read(s)
		if str, isString := v.(string); err == nil && isString {
			if n, err := strconv.ParseInt(str, 10, 64); err == nil {
				return n, nil
			}
		}
		return v, err
	}
}

func urlPart(part func(*url.URL) string) reader {
	return func(s string) (any, error) {
		u, err := url.Parse(s)
		if err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("not an absolute URL")
		}
		return asIs(part(u))
	}
}

// protocolVersion reads "HTTP/1.1" as 1.1; any other form (an older Envoy's "h2") is unreadable.
func protocolVersion(s string) (any, error) {
	v, ok := strings.CutPrefix(s, "HTTP/")
	if !ok || v == "" {
		return nil, fmt.Errorf("not HTTP/<version>")
	}
	return v, nil
}

func hostOf(s string) (any, error) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		return asIs(host)
	}
	return asIs(s)
}

func portOf(s string) (any, error) {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return nil, nil
	}
	return asIs(port)
}
