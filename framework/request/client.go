// Package request drives HTTP requests through the gateway under test: functional options, a
// per-attempt timeout, retries limited to transient failures, and a record of every attempt.
package request

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/wait"
)

// Attempt is one try at a request.
type Attempt struct {
	Number   int           `json:"number"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
	Class    Class         `json:"class"`
	Status   int           `json:"status,omitempty"`
	Error    string        `json:"error,omitempty"`
	// Conn is the client's end (local address) of the connection the attempt went over, when
	// one was made: two requests with the same Conn reached the gateway over one connection.
	Conn string `json:"conn,omitempty"`
	// ParentID is the parent-id of the traceparent the attempt carried, "" when it carried none
	// of the client's making: each attempt gets its own, so the span a gateway opened for an
	// earlier attempt is never taken for the one of the attempt that answered.
	ParentID string `json:"parentID,omitempty"`
}

func (a Attempt) String() string {
	outcome := string(a.Class)
	if a.Status != 0 {
		outcome = fmt.Sprintf("%s %d", a.Class, a.Status)
	}
	if a.Error != "" {
		outcome += ": " + a.Error
	}
	if a.Conn != "" {
		outcome += " (connection from " + a.Conn + ")"
	}
	return fmt.Sprintf("attempt %d at %s: %s after %s", a.Number, a.Start.Format("15:04:05.000"), outcome, a.Duration.Round(time.Millisecond))
}

// Client sends requests to one gateway address under one request policy.
type Client struct {
	baseURL string
	policy  config.RequestPolicy
	http    *http.Client
	log     io.Writer
	history *History
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	// keep is how long the connection that answered a request stays open (KeepConnections);
	// session is true for a Session, whose one connection is kept anyway.
	keep    time.Duration
	session bool
	// h2c is a Session's client for its h2c requests (H2C), over a connection of its own.
	h2c *http.Client
	// unanswerable are the headers the upstream cannot honour, and what to do with a request
	// carrying one (Unanswerable).
	unanswerable []string
	refuse       func(header string)
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// LogTo writes a timestamped line for every attempt (the suite passes GinkgoWriter).
func LogTo(w io.Writer) ClientOption { return func(c *Client) { c.log = w } }

// RecordIn appends every response, with its attempts, to h (the debug bundle reads it).
func RecordIn(h *History) ClientOption { return func(c *Client) { c.history = h } }

// DialWith makes the client open its connections with dial, e.g. into a network namespace,
// instead of this machine's network. No proxy is ever used.
func DialWith(dial func(ctx context.Context, network, addr string) (net.Conn, error)) ClientOption {
	return func(c *Client) {
		if dial != nil {
			c.dial = dial
			c.http.Transport.(*http.Transport).DialContext = dial
		}
	}
}

// KeepConnections keeps the connection that answered each request open, idle, for d after the
// answer, so that Response.Follow can send another request over it: a marker that shares the
// request's path through the gateway (with Envoy, its worker thread and span exporter). Each
// attempt still opens a fresh connection, so a reset is never inherited. 0 (the default) closes
// every connection with its answer.
func KeepConnections(d time.Duration) ClientOption { return func(c *Client) { c.keep = d } }

// Unanswerable makes Send call refuse, before sending anything, with the first of headers a
// request carries: the upstream behind the gateway cannot honour it (Gateway API's echo server
// has no echo.StatusHeader), so the request would test something else. refuse ends the spec
// (the suite makes it not applicable); if it returns, the request is sent.
func Unanswerable(refuse func(header string), headers ...string) ClientOption {
	return func(c *Client) { c.unanswerable, c.refuse = headers, refuse }
}

// NewClient returns a client for the gateway at baseURL, e.g. "http://127.0.0.1:8080".
func NewClient(baseURL string, policy config.RequestPolicy, opts ...ClientOption) *Client {
	c := &Client{
		baseURL: strings.TrimSuffix(baseURL, "/"),
		policy:  policy,
		// No client-wide timeout: each attempt gets its own context deadline instead. Keep-alive
		// is off so that every attempt is a fresh connection and a reset is never inherited.
		// Redirects are answers to check, never followed: following one would send a second
		// request, in a trace of its own.
		http: &http.Client{
			Transport:     &http.Transport{DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		log: io.Discard,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// BaseURL is the gateway address requests go to.
func (c *Client) BaseURL() string { return c.baseURL }

// Send sends the request, repeating it only after transient failures, up to the policy's
// retries. It never fails on its own: the Response carries the final status or error and every
// attempt, for HaveStatus and for failure diagnostics.
//
// A repeated attempt carries the same trace-id under a fresh parent-id (the caller's span id):
// a gateway that opened a span for an earlier attempt opened it as a child of another parent,
// so an assertion on the child of the answering attempt's parent (Response.Request.TraceParent,
// which Send leaves as the final attempt sent it) never takes that span for this one.
func (c *Client) Send(ctx context.Context, opts ...Option) *Response {
	req := newRequest(opts)
	for _, h := range c.unanswerable {
		if req.Header.Get(h) != "" {
			c.refuse(h)
			break
		}
	}
	rsp := &Response{Request: req, URL: c.baseURL + req.Path}
	for n := 1; ; n++ {
		if n > 1 {
			rsp.Request = req.freshParent()
			req = rsp.Request
		}
		attempt, kept := c.attempt(ctx, req, rsp, n)
		rsp.Attempts = append(rsp.Attempts, attempt)
		rsp.keep(kept)
		retry := attempt.Class.Transient() && n <= c.policy.Retries
		c.logAttempt(req, rsp, attempt, retry)
		if !retry {
			break
		}
		if err := wait.Sleep(ctx, c.backoff(n)); err != nil {
			rsp.Err = err
			break
		}
	}
	if c.history != nil {
		c.history.add(rsp)
	}
	return rsp
}

// attempt sends req once. Where the client keeps connections it goes over a connection of its
// own, returned as kept (a Session over it) when it was answered; else kept is nil.
func (c *Client) attempt(ctx context.Context, req Request, rsp *Response, n int) (a Attempt, kept *Client) {
	a = Attempt{Number: n, Start: time.Now()}
	if req.TraceParent != nil {
		a.ParentID = req.TraceParent.ParentID
	}
	actx, cancel := context.WithTimeout(ctx, c.policy.AttemptTimeout)
	defer cancel()
	via := c
	if c.keep > 0 && !c.session && !req.Verbatim {
		via = c.Session()
		via.idleFor(c.keep)
	}
	status, header, body, err := via.roundTrip(withConnTrace(actx, &a.Conn), req, rsp.URL)
	a.Duration = time.Since(a.Start)
	if err != nil {
		via.Close()
		a.Class, a.Error = classifyError(ctx, err), err.Error()
		rsp.Status, rsp.Header, rsp.Body, rsp.Err = 0, nil, nil, err
		return a, nil
	}
	if via != c {
		kept = via
	}
	retryable := c.policy.RetryStatuses
	if req.StatusUnderTest {
		retryable = nil
	}
	a.Class, a.Status = classifyStatus(status, retryable), status
	rsp.Status, rsp.Header, rsp.Body, rsp.Err, rsp.Received = status, header, body, nil, time.Now()
	return a, kept
}

func (c *Client) roundTrip(ctx context.Context, req Request, url string) (int, http.Header, []byte, error) {
	if req.Verbatim && req.H2C {
		return 0, nil, nil, fmt.Errorf("a verbatim request is HTTP/1.1 written by hand: it cannot go over h2c")
	}
	if req.Verbatim {
		dial := c.http.Transport.(*http.Transport).DialContext
		if dial == nil {
			dial = (&net.Dialer{}).DialContext
		}
		return verbatimRoundTrip(ctx, dial, req, url)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, url, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	hreq.Header = req.Header.Clone()
	if req.Host != "" {
		hreq.Host = req.Host
	}
	if req.TraceParent != nil {
		hreq.Header.Set("traceparent", req.TraceParent.String())
	}
	do := c.http.Do
	if req.H2C {
		do = c.h2cDo
	}
	res, err := do(hreq)
	if err != nil {
		return 0, nil, nil, err
	}
	return readResponse(res)
}

// readResponse reads and closes the body of an attempt's response. The body belongs to the
// attempt: a reset or timeout while reading it is a failed attempt.
func readResponse(res *http.Response) (int, http.Header, []byte, error) {
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	return res.StatusCode, res.Header, body, nil
}

func (c *Client) backoff(retry int) time.Duration {
	d := c.policy.Backoff << (retry - 1)
	if d > c.policy.MaxBackoff || d <= 0 {
		return c.policy.MaxBackoff
	}
	return d
}

func (c *Client) logAttempt(req Request, rsp *Response, a Attempt, retry bool) {
	next := "final"
	if retry {
		next = "retrying"
	}
	fmt.Fprintf(c.log, "%s request %s %s host=%q trace=%s %s/%d: %s\n",
		time.Now().Format(time.RFC3339Nano), req.Method, rsp.URL, req.Host, rsp.SentTraceID(), a, c.policy.Retries+1, next)
}

// History keeps the responses a spec sent, for its failure diagnostics. Safe for concurrent use.
type History struct {
	mu        sync.Mutex
	responses []*Response
}

func (h *History) add(r *Response) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.responses = append(h.responses, r)
}

// Responses returns what was recorded since the last Reset.
func (h *History) Responses() []*Response {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Response(nil), h.responses...)
}

// Reset forgets every response; the suite calls it before each spec.
func (h *History) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.responses = nil
}
