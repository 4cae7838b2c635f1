package request

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"time"
)

// Session returns a client for the same gateway, policy, log and history that sends its
// requests one after another over a single kept-alive connection, for as long as that
// connection lives. Each attempt records the connection it used (Attempt.Conn), so a caller
// can tell whether two requests really shared one: a gateway that hands each connection to
// one of several workers (Envoy), each exporting spans on its own, treats two such requests
// on one export path. A connection that breaks is replaced by a new one, which the next
// attempt's Conn shows. Close the session when done.
func (c *Client) Session() *Client {
	s := *c
	s.session, s.keep = true, 0
	tr := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}
	if c.dial != nil {
		tr.DialContext = c.dial
	}
	s.http = &http.Client{Transport: tr, CheckRedirect: c.http.CheckRedirect}
	s.h2c = h2cClient(s.http)
	return &s
}

// Close closes the idle connection a Session kept; on any other client it does nothing harmful.
func (c *Client) Close() {
	c.http.CloseIdleConnections()
	if c.h2c != nil {
		c.h2c.CloseIdleConnections()
	}
}

// idleFor keeps a Session's idle connections, HTTP/1.1 and h2c, open for d.
func (c *Client) idleFor(d time.Duration) {
	c.http.Transport.(*http.Transport).IdleConnTimeout = d
	c.h2c.Transport.(*http.Transport).IdleConnTimeout = d
}

// Follow sends another request, to the same gateway, over the connection that answered r, which
// the client kept open (KeepConnections), and returns its response; nil when there is none to
// try (the client keeps no connections, the request was verbatim, or no attempt was answered).
// A request that went over h2c is followed over h2c only if opts include H2C. A gateway may
// have closed the connection meanwhile: the request then goes over a new one, which the
// response's Conn shows, so a caller that needs the same connection compares Conn.
func (r *Response) Follow(ctx context.Context, opts ...Option) *Response {
	if r.follow == nil {
		return nil
	}
	return r.follow.Send(ctx, opts...)
}

// keep makes kept the connection Follow uses, closing the one an earlier attempt kept.
func (r *Response) keep(kept *Client) {
	if r.follow != nil {
		r.follow.Close()
	}
	r.follow = kept
}

// Conn is the client's end of the connection the final attempt went over ("" when it made
// none, e.g. the gateway refused it).
func (r *Response) Conn() string {
	if len(r.Attempts) == 0 {
		return ""
	}
	return r.Attempts[len(r.Attempts)-1].Conn
}

// withConnTrace records into conn the local address of the connection the request gets.
func withConnTrace(ctx context.Context, conn *string) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { *conn = info.Conn.LocalAddr().String() },
	})
}
