package request

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/internal/text"
)

// Response is the outcome of Send: the final attempt's status, headers and body (or its error),
// and every attempt made.
type Response struct {
	Request  Request
	URL      string
	Status   int
	Header   map[string][]string
	Body     []byte
	Err      error
	Attempts []Attempt
	// Received is when the final attempt's response was read: span delays count from it.
	Received time.Time
	// follow sends over the connection that answered, where the client kept it (Follow).
	follow *Client
}

// SentTraceID is the trace id of the traceparent the request carried, or "" if it carried none.
func (r *Response) SentTraceID() string {
	if r.Request.TraceParent == nil {
		return ""
	}
	return r.Request.TraceParent.TraceID
}

// ParentID is the parent-id of the traceparent the answering (final) attempt carried: the span
// id of the caller whose child the gateway's span must be. Each attempt carries its own (Send),
// so a span of an earlier attempt is never its child. "" if the request carried no traceparent.
func (r *Response) ParentID() string {
	if r.Request.TraceParent == nil {
		return ""
	}
	return r.Request.TraceParent.ParentID
}

// Upstream decodes what the echo upstream says it received.
func (r *Response) Upstream() (echo.Record, error) {
	var rec echo.Record
	if r.Err != nil {
		return rec, fmt.Errorf("no response to read the upstream's record from: %w", r.Err)
	}
	if err := json.Unmarshal(r.Body, &rec); err != nil {
		return rec, fmt.Errorf("response body is not the echo upstream's record (%v): %q", err, text.Truncate(string(r.Body), 200))
	}
	return rec, nil
}

// UpstreamTraceParent is the traceparent the upstream received from the gateway.
func (r *Response) UpstreamTraceParent() (TraceParent, error) {
	rec, err := r.Upstream()
	if err != nil {
		return TraceParent{}, err
	}
	v := rec.Headers.Get("traceparent")
	if v == "" {
		return TraceParent{}, fmt.Errorf("the upstream received no traceparent header")
	}
	return ParseTraceParent(v)
}

// TraceID is the trace the request belongs to: the one it carried or, when it carried none,
// the one the gateway started, as seen in the traceparent the upstream received.
func (r *Response) TraceID() string {
	if id := r.SentTraceID(); id != "" {
		return id
	}
	if tp, err := r.UpstreamTraceParent(); err == nil {
		return tp.TraceID
	}
	return ""
}

// Describe is a multi-line account of the request and its attempts, for failure messages.
func (r *Response) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s host=%q", r.Request.Method, r.URL, r.Request.Host)
	if r.Request.TraceParent != nil {
		fmt.Fprintf(&b, " traceparent=%s", r.Request.TraceParent)
	}
	b.WriteString("\n")
	for _, a := range r.Attempts {
		fmt.Fprintf(&b, "  %s\n", a)
	}
	if r.Err != nil {
		fmt.Fprintf(&b, "  final error: %v\n", r.Err)
	} else {
		fmt.Fprintf(&b, "  final status %d, body %q\n", r.Status, text.Truncate(string(r.Body), 300))
	}
	return b.String()
}
