package request

import "net/http"

// Option changes one property of a request.
type Option func(*Request)

// Request is what Send sends. Build it with options; the zero value is a GET of / carrying a
// fresh sampled traceparent.
type Request struct {
	Method string
	Path   string
	// Host is the Host header; empty means the gateway address.
	Host   string
	Header http.Header
	// TraceParent is sent as the traceparent header; nil sends none, so the trace starts at the gateway.
	TraceParent *TraceParent
	// StatusUnderTest: the status is what the spec checks, so a retryable status (502, 503,
	// 504) is the answer, not a transient failure to repeat.
	StatusUnderTest bool
	// Verbatim: the header lines go on the wire exactly as given (see the Verbatim option).
	Verbatim bool
	// H2C: the request goes over HTTP/2 without TLS (see the H2C option).
	H2C bool
}

func newRequest(opts []Option) Request {
	tp := NewTraceParent(true)
	r := Request{Method: http.MethodGet, Path: "/", Header: http.Header{}, TraceParent: &tp}
	for _, o := range opts {
		o(&r)
	}
	return r
}

// Method sets the HTTP method (default GET).
func Method(m string) Option { return func(r *Request) { r.Method = m } }

// Path sets the request path, with any query (default /).
func Path(p string) Option { return func(r *Request) { r.Path = p } }

// Host sets the Host header, which selects the gateway's virtual host or HTTPRoute hostname.
func Host(h string) Option { return func(r *Request) { r.Host = h } }

// Header adds a request header.
func Header(key, value string) Option { return func(r *Request) { r.Header.Add(key, value) } }

// WithTraceParent sends the given traceparent instead of a fresh one.
func WithTraceParent(tp TraceParent) Option { return func(r *Request) { r.TraceParent = &tp } }

// Unsampled sends a fresh traceparent whose sampled flag is off.
func Unsampled() Option {
	return func(r *Request) { tp := NewTraceParent(false); r.TraceParent = &tp }
}

// RawHeader adds a header line with its name exactly as given (not canonicalized), after the
// others of the same name: for the repeated-header and misspelt-name cases of W3C trace
// context. Combine it with NoTraceParent to send a traceparent of your own.
func RawHeader(name, value string) Option {
	return func(r *Request) { r.Header[name] = append(r.Header[name], value) }
}

// WithTraceState sends a W3C tracestate header with the request, such as "vendor=value".
func WithTraceState(v string) Option { return Header("tracestate", v) }

// NoTraceParent sends no traceparent, so the gateway starts the trace. The trace id is then
// learned from the traceparent the upstream received (see Response.TraceID).
func NoTraceParent() Option { return func(r *Request) { r.TraceParent = nil } }

// StatusUnderTest marks a request whose answer is expected to be a gateway error (an upstream
// that refuses, one that times out): its status is never retried, only failures to get an
// answer at all are (a reset, a refused connection to the gateway, an attempt timeout).
func StatusUnderTest() Option { return func(r *Request) { r.StatusUnderTest = true } }

// freshParent is the request with its traceparent (if any) under a new parent-id, for a repeated
// attempt; the trace-id and the sampled flag stay. Header lines of the spec's own (RawHeader)
// go as given.
func (r Request) freshParent() Request {
	if r.TraceParent == nil {
		return r
	}
	tp := *r.TraceParent
	tp.ParentID = NewTraceParent(tp.Sampled).ParentID
	r.TraceParent = &tp
	return r
}
