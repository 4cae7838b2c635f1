// Package conventions scores HTTP spans against the OpenTelemetry semantic conventions, attribute
// by attribute, at each attribute's requirement level.
package conventions

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"

	"github.com/tracegate/tracegate/framework/spans"
)

// Level is a requirement level of the semantic conventions.
type Level string

// The requirement levels, as the conventions name them.
const (
	Required              Level = "required"
	ConditionallyRequired Level = "conditionally required"
	Recommended           Level = "recommended"
	OptIn                 Level = "opt-in"
)

// Type is the value type the conventions give an attribute; OTLP keeps it, so 200 and "200" differ.
type Type string

// The value types of the HTTP span attributes.
const (
	String      Type = "string"
	Int         Type = "int"
	StringArray Type = "string[]"
)

// Exchange is what the suite sent through the gateway and what came back: what the span's
// attributes are checked against.
type Exchange struct {
	Method    string // as sent, e.g. GET or the unknown PURGE
	Scheme    string // of the request to the gateway: http
	Host      string // the Host header without its port
	Port      int    // the Host header's port, 0 for none
	Path      string
	Query     string // without "?", "" for none
	UserAgent string
	Status    int // the response status, the upstream's
}

// HostHeader is the Host header the exchange sends.
func (x Exchange) HostHeader() string {
	if x.Port == 0 {
		return x.Host
	}
	return net.JoinHostPort(x.Host, strconv.Itoa(x.Port))
}

// String describes the exchange for reports, e.g. `GET /a?q=1 (Host example.com:8443), answered 200`.
func (x Exchange) String() string {
	return fmt.Sprintf("%s %s (Host %s), answered %d", x.Method, x.Target(), x.HostHeader(), x.Status)
}

// Target is the request target: the path and any query.
func (x Exchange) Target() string {
	if x.Query == "" {
		return x.Path
	}
	return x.Path + "?" + x.Query
}

// Rule is one attribute of a span in the conventions: its key, requirement level, type and,
// for this exchange, the value it must have.
type Rule struct {
	Key   attribute.Key
	Level Level
	Type  Type
	// When, for a conditional level, says when the level applies; nil for an unconditional one.
	When *Condition
	// Want is the value the exchange implies; nil accepts any value of Type.
	Want func(Exchange) Expect
	// Template marks a key that ends in <key> (http.request.header.<key>): any attribute with
	// Key as its prefix counts.
	Template bool
}

// Truth is whether a condition holds for an exchange. Unknown is for what the suite cannot see,
// such as whether a route template is available to the gateway.
type Truth int

// The truths of a condition.
const (
	Unknown Truth = iota
	Holds
	DoesNotHold
)

// Condition is when a conditional requirement level applies.
type Condition struct {
	// Text is the condition as the conventions word it.
	Text string
	// Holds says whether it holds for the exchange; set reports whether the span carries an
	// attribute (under any name the naming allows), for conditions on other attributes.
	Holds func(x Exchange, set func(attribute.Key) bool) Truth
	// OnlyIf: "if and only if", so the attribute is unexpected where the condition does not hold.
	OnlyIf bool
}

// Expect is a value an attribute must have.
type Expect struct {
	Describe string
	Match    func(any) bool
	// Redacted, when set, accepts a value that differs from Match's only where query values
	// were scrubbed to REDACTED, which the conventions allow (see queryRedacted).
	Redacted func(any) bool
}

func equal(v any) Expect {
	return Expect{Describe: spans.FormatValue(v), Match: func(got any) bool { return spans.EqualValues(got, v) }}
}

func nonEmpty(Exchange) Expect {
	return Expect{Describe: "a non-empty string", Match: func(got any) bool { s, _ := got.(string); return s != "" }}
}

// hostName is server.address as the conventions define it: a domain name, an IP address or a
// Unix socket name, without a port, scheme or path.
func hostName(Exchange) Expect {
	return Expect{Describe: "a host name or IP address, without a port, scheme or path", Match: func(got any) bool {
		s, _ := got.(string)
		if s == "" || strings.ContainsAny(s, "/?#@ \t") {
			return false
		}
		return !strings.Contains(s, ":") || net.ParseIP(s) != nil
	}}
}

// routeTemplate is http.route's form: a path template, which the conventions require to be low
// cardinality and to keep every static path segment, so it starts with / and has no query.
func routeTemplate(Exchange) Expect {
	return Expect{Describe: "a path template: starting with /, without a query or fragment", Match: func(got any) bool {
		s, _ := got.(string)
		return strings.HasPrefix(s, "/") && !strings.ContainsAny(s, "?#")
	}}
}

func ipAddress(Exchange) Expect {
	return Expect{Describe: "an IP address", Match: func(got any) bool { s, _ := got.(string); return net.ParseIP(s) != nil }}
}

func portNumber(Exchange) Expect {
	return Expect{Describe: "a port from 1 to 65535", Match: func(got any) bool { n, ok := got.(int64); return ok && n >= 1 && n <= 65535 }}
}

func nonNegative(Exchange) Expect {
	return Expect{Describe: "a size of 0 or more", Match: func(got any) bool { n, ok := got.(int64); return ok && n >= 0 }}
}

func positive(Exchange) Expect {
	return Expect{Describe: "a count of 1 or more", Match: func(got any) bool { n, ok := got.(int64); return ok && n >= 1 }}
}

func oneOf(values ...string) func(Exchange) Expect {
	return func(Exchange) Expect {
		return Expect{
			Describe: "one of " + strings.Join(values, ", "),
			Match:    func(got any) bool { s, _ := got.(string); return slices.Contains(values, s) },
		}
	}
}

// absoluteURL accepts an absolute URL whose path and query are the exchange's: the gateway
// forwards the request target unchanged. A query whose values were scrubbed is redacted. The
// conventions forbid credentials in url.full (MUST NOT), so a URL with user info is wrong.
func absoluteURL(x Exchange) Expect {
	parse := func(got any) (*url.URL, bool) {
		s, _ := got.(string)
		u, err := url.Parse(s)
		return u, err == nil && u.IsAbs() && u.Host != "" && u.User == nil && u.EscapedPath() == x.Path
	}
	return Expect{Describe: fmt.Sprintf("an absolute URL without credentials ending in %q", x.Target()),
		Match: func(got any) bool { u, ok := parse(got); return ok && u.RawQuery == x.Query },
		Redacted: func(got any) bool {
			u, ok := parse(got)
			return ok && queryRedacted(x.Query, u.RawQuery)
		}}
}

// query accepts the exchange's query as sent, or with values scrubbed to REDACTED.
func query(x Exchange) Expect {
	e := equal(x.Query)
	e.Redacted = func(got any) bool { s, _ := got.(string); return queryRedacted(x.Query, s) }
	return e
}

// RedactedValue is what the conventions have sensitive query values replaced with.
const RedactedValue = "REDACTED"

// RedactedNote says why a redacted query is allowed and what usually controls it.
const RedactedNote = "query values scrubbed to " + RedactedValue + ", as the conventions allow (url.query, url.full: sensitive " +
	"content SHOULD be scrubbed, by default the values of X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token, sig and " +
	"X-Goog-Signature); the keys are usually set by sensitive_query_parameters under " +
	".instrumentation/development.general.sanitization.url in OpenTelemetry declarative configuration, or the tracer's own redaction setting"

// queryRedacted reports whether got is the sent query with at least one value replaced by
// REDACTED and nothing else changed: the same parameters, keys kept, in the same order.
func queryRedacted(sent, got string) bool {
	s, g := strings.Split(sent, "&"), strings.Split(got, "&")
	if sent == "" || len(s) != len(g) {
		return false
	}
	scrubbed := false
	for i := range s {
		sk, sv, _ := strings.Cut(s[i], "=")
		gk, gv, hasValue := strings.Cut(g[i], "=")
		switch {
		case sk != gk:
			return false
		case gv == sv:
		case hasValue && gv == RedactedValue:
			scrubbed = true
		default:
			return false
		}
	}
	return scrubbed
}
