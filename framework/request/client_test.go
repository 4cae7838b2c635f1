package request_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/request"
)

// policy keeps unit tests quick; the suite's real policy comes from ginkgo.yaml.
var policy = config.RequestPolicy{
	AttemptTimeout: 200 * time.Millisecond, Retries: 2, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
	RetryStatuses: []int{502, 503, 504}, ConsecutiveSuccesses: 3,
}

func classes(r *request.Response) []request.Class {
	var out []request.Class
	for _, a := range r.Attempts {
		out = append(out, a.Class)
	}
	return out
}

func assertClasses(t *testing.T, r *request.Response, want ...request.Class) {
	t.Helper()
	got := classes(r)
	if len(got) != len(want) {
		t.Fatalf("attempts = %v, want %v\n%s", got, want, r.Describe())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("attempts = %v, want %v\n%s", got, want, r.Describe())
		}
	}
}

func TestConnectionRefusedIsRetriedThenReported(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	r := request.NewClient("http://"+addr, policy).Send(context.Background())
	assertClasses(t, r, request.ClassRefused, request.ClassRefused, request.ClassRefused)
	if r.Err == nil {
		t.Fatal("expected the final error to be kept")
	}
}

func TestConnectionResetIsRetried(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if accepted.Add(1) == 1 {
				// Linger 0 makes Close send RST: a reset, not an orderly close.
				c.(*net.TCPConn).SetLinger(0)
				buf := make([]byte, 1024)
				c.Read(buf)
				c.Close()
				continue
			}
			go http.Serve(&oneConn{c: c}, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
		}
	}()
	r := request.NewClient("http://"+ln.Addr().String(), policy).Send(context.Background())
	assertClasses(t, r, request.ClassReset, request.ClassResponse)
	if r.Status != 200 {
		t.Fatalf("final status %d", r.Status)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // hang past the attempt timeout
		}
	}))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background())
	assertClasses(t, r, request.ClassAttemptTimeout, request.ClassResponse)
}

func TestConfiguredStatusesAreRetriedOthersNever(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/500":
			w.WriteHeader(500)
		case n.Add(1) == 1:
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	c := request.NewClient(srv.URL, policy)
	assertClasses(t, c.Send(context.Background(), request.Path("/flaky")), request.ClassRetryableStatus, request.ClassResponse)
	assertClasses(t, c.Send(context.Background(), request.Path("/500")), request.ClassResponse)
}

func TestRetryableStatusKeptWhenRetriesRunOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background())
	assertClasses(t, r, request.ClassRetryableStatus, request.ClassRetryableStatus, request.ClassRetryableStatus)
	if r.Status != 502 || r.Err != nil {
		t.Fatalf("want the last 502 kept, got %d %v", r.Status, r.Err)
	}
}

func TestCanceledSpecIsNotRetried(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	r := request.NewClient(srv.URL, policy).Send(ctx)
	assertClasses(t, r, request.ClassCanceled)
}

func TestRequestCarriesOptionsAndTraceParent(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r }))
	defer srv.Close()
	tp := request.NewTraceParent(true)
	r := request.NewClient(srv.URL, policy).Send(context.Background(), request.Method("POST"), request.Path("/p?q=1"),
		request.Host("example.com"), request.Header("X-Test", "v"), request.WithTraceParent(tp))
	if got.Method != "POST" || got.URL.Path != "/p" || got.Host != "example.com" || got.Header.Get("X-Test") != "v" {
		t.Fatalf("request not as built: %s %s host=%s headers=%v", got.Method, got.URL, got.Host, got.Header)
	}
	parsed, err := request.ParseTraceParent(got.Header.Get("traceparent"))
	if err != nil || parsed != tp || r.SentTraceID() != tp.TraceID {
		t.Fatalf("traceparent %q parsed to %+v, %v; sent %+v", got.Header.Get("traceparent"), parsed, err, tp)
	}
}

func TestNoTraceParentLearnsTheTraceFromTheUpstream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("traceparent") != "" {
			t.Errorf("traceparent sent despite NoTraceParent")
		}
		w.Write([]byte(`{"headers":{"Traceparent":["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]}}`))
	}))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background(), request.NoTraceParent())
	if r.TraceID() != "0af7651916cd43dd8448eb211c80319c" {
		t.Fatalf("TraceID() = %q", r.TraceID())
	}
}

func TestHaveStatusShowsAttempts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background())
	m := request.HaveStatus(200)
	if ok, _ := m.Match(r); ok {
		t.Fatal("500 matched HaveStatus(200)")
	}
	msg := m.FailureMessage(r)
	if !strings.Contains(msg, "Expected status 200, got 500") || !strings.Contains(msg, "attempt 1 at") {
		t.Fatalf("message lacks expected vs got or attempts:\n%s", msg)
	}
}

func TestAwaitConsistentNeedsConsecutiveSuccesses(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/flapping" && n.Add(1)%2 == 0 {
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	c := request.NewClient(srv.URL, policy)
	wait := config.Wait{Timeout: 300 * time.Millisecond, Polling: 5 * time.Millisecond}
	if err := c.AwaitConsistent(context.Background(), wait, 200, request.Path("/steady")); err != nil {
		t.Fatalf("steady route did not converge: %v", err)
	}
	err := c.AwaitConsistent(context.Background(), wait, 200, request.Path("/flapping"))
	if err == nil || !strings.Contains(err.Error(), "3 consecutive responses with status 200") {
		t.Fatalf("a route that alternates 200/500 must not converge, got %v", err)
	}
}

// oneConn is a listener that yields a single connection, to serve HTTP on an accepted conn.
type oneConn struct {
	c    net.Conn
	done atomic.Bool
}

func (l *oneConn) Accept() (net.Conn, error) {
	if l.done.Swap(true) {
		select {} // block: http.Serve would otherwise spin
	}
	return l.c, nil
}
func (l *oneConn) Close() error   { return nil }
func (l *oneConn) Addr() net.Addr { return l.c.LocalAddr() }

func TestHaveUpstreamTraceParentListsWhatTheUpstreamGot(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"method":"GET","path":"/p","host":"h","headers":{"Via":["1.1 Caddy"]}}`))
	}))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background())
	m := request.HaveUpstreamTraceParent()
	if ok, _ := m.Match(r); ok {
		t.Fatal("matched without a traceparent")
	}
	msg := m.FailureMessage(r)
	for _, want := range []string{
		"Expected the upstream to receive a valid traceparent",
		"no traceparent header",
		"Received by the upstream: GET /p",
		"Via: 1.1 Caddy",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestStatusUnderTestIsTheAnswerNotRetried(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background(), request.StatusUnderTest())
	assertClasses(t, r, request.ClassResponse)
	if r.Status != 502 {
		t.Fatalf("status %d, want the 502", r.Status)
	}
}

func TestRedirectIsTheAnswerNotFollowed(t *testing.T) {
	var followed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed.Add(1)
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	r := request.NewClient(srv.URL, policy).Send(context.Background(), request.Path("/moved"))
	if r.Status != http.StatusFound || followed.Load() != 0 {
		t.Fatalf("status %d after %d followed redirects, want the 302 itself", r.Status, followed.Load())
	}
}

func TestHaveStatusClassAcceptsTheWholeClass(t *testing.T) {
	r := &request.Response{Status: 503}
	if ok, _ := request.HaveStatusClass(5).Match(r); !ok {
		t.Error("503 is not a 5xx")
	}
	if ok, _ := request.HaveStatusClass(4).Match(r); ok {
		t.Error("503 is a 4xx")
	}
	if msg := request.HaveStatusClass(4).FailureMessage(r); !strings.Contains(msg, "Expected status 4xx, got 503") {
		t.Errorf("message %q", msg)
	}
}

func TestEachAttemptCarriesItsOwnParentInTheSameTrace(t *testing.T) {
	var seen []string
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("traceparent"))
		if n.Add(1) < 3 {
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	caller := request.NewTraceParent(true)
	r := request.NewClient(srv.URL, policy).Send(context.Background(), request.WithTraceParent(caller))
	assertClasses(t, r, request.ClassRetryableStatus, request.ClassRetryableStatus, request.ClassResponse)
	parents := map[string]bool{}
	for i, a := range r.Attempts {
		tp, err := request.ParseTraceParent(seen[i])
		if err != nil || tp.TraceID != caller.TraceID || !tp.Sampled || tp.ParentID != a.ParentID {
			t.Fatalf("attempt %d sent %q (%v), want trace %s, sampled, parent %s as recorded", a.Number, seen[i], err, caller.TraceID, a.ParentID)
		}
		parents[a.ParentID] = true
	}
	if len(parents) != 3 {
		t.Fatalf("the 3 attempts carried %d parent-ids, want 3 different: %v", len(parents), seen)
	}
	if r.ParentID() != r.Attempts[2].ParentID || r.ParentID() == caller.ParentID {
		t.Fatalf(
			"Response.ParentID() = %s, want the answering attempt's %s (not the first's %s)",
			r.ParentID(),
			r.Attempts[2].ParentID,
			caller.ParentID,
		)
	}
}
