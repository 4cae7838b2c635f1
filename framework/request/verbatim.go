package request

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Verbatim writes the request's header lines on the wire exactly as given, white space around
// a value included: Go's client trims it (net/http writes textproto.TrimString of each value),
// so a case about optional white space (W3C trace context's OWS around traceparent) would
// never reach the gateway. HTTP/1.1 over plain TCP only, one request per connection.
func Verbatim() Option { return func(r *Request) { r.Verbatim = true } }

// verbatimRoundTrip sends req as HTTP/1.1 written by hand on a connection from dial, and reads
// the response with net/http's parser.
func verbatimRoundTrip(
	ctx context.Context,
	dial func(ctx context.Context, network, addr string) (net.Conn, error),
	req Request,
	rawURL string,
) (int, http.Header, []byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0, nil, nil, err
	}
	if u.Scheme != "http" {
		return 0, nil, nil, fmt.Errorf("a verbatim request needs a plain http:// gateway address, got %q", rawURL)
	}
	host := req.Host
	if host == "" {
		host = u.Host
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", req.Method, u.RequestURI(), host)
	if req.TraceParent != nil {
		fmt.Fprintf(&b, "traceparent: %s\r\n", req.TraceParent)
	}
	for _, name := range slices.Sorted(maps.Keys(req.Header)) {
		for _, v := range req.Header[name] {
			if strings.ContainsAny(name+v, "\r\n") {
				return 0, nil, nil, fmt.Errorf("header %q: %q: a verbatim header has no line breaks", name, v)
			}
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	b.WriteString("\r\n")

	conn, err := dial(ctx, "tcp", u.Host)
	if err != nil {
		return 0, nil, nil, err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := io.WriteString(conn, b.String()); err != nil {
		return 0, nil, nil, err
	}
	hreq, _ := http.NewRequestWithContext(ctx, req.Method, rawURL, nil)
	res, err := http.ReadResponse(bufio.NewReader(conn), hreq)
	if err != nil {
		return 0, nil, nil, err
	}
	return readResponse(res)
}
