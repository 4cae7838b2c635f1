package tracing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// refusingGateway stands in for a gateway whose route's upstream refuses: every request is
// answered 503 and gives a SERVER span, stored at once, in the trace its traceparent names. It
// counts the requests it got.
func refusingGateway(t *testing.T, store *otlp.Store) (*httptest.Server, *atomic.Int32) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := got.Add(1)
		tp, err := request.ParseTraceParent(r.Header.Get("traceparent"))
		if err != nil {
			t.Errorf("request %d: %v", n, err)
		}
		store.Add(spans.List{storedSpan(tp.TraceID, tp.ParentID+"-server", spans.KindServer, "ingress")})
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

// A marker follows the request to its route, so it gets the request's answer: a 503 from an
// upstream that refuses is that answer, not a reason to retry (which cost the status matrix's
// refused row 1.4 s of back-off on Envoy, and measured the marker's delay from its last attempt
// while its span came from the first).
func TestMarkerIsSentOnceWhateverItsStatus(t *testing.T) {
	cfg, err := config.LoadFile(filepath.Join("..", "..", config.FileName), func(k string) (string, bool) {
		v, ok := map[string]string{"E2E_ENV": "envoy"}[k]
		return v, ok
	}, Names())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Request.Retries == 0 || !slices.Contains(cfg.Request.RetryStatuses, http.StatusServiceUnavailable) {
		t.Fatalf("the envoy environment's request policy %+v no longer retries a 503: the test proves nothing", cfg.Request)
	}
	store := otlp.NewStore(0)
	srv, got := refusingGateway(t, store)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	gw := request.NewClient(srv.URL, cfg.Request, request.KeepConnections(time.Minute))
	rsp := gw.Send(ctx, request.Path("/refused"), request.StatusUnderTest())
	if rsp.Status != http.StatusServiceUnavailable || got.Load() != 1 {
		t.Fatalf("the request under test: status %d after %d requests, want one 503", rsp.Status, got.Load())
	}

	a := SpanAssertion{in: Input{Spans: store, Config: cfg}, ctx: ctx, query: spans.Of(store, rsp.TraceID()), rsp: rsp}
	_, matched, proof, unproved := a.proveComplete(spans.HaveSpan(spans.Client()), time.Now().Add(forever), 10*time.Millisecond)
	if matched || proof == "" {
		t.Fatalf("no CLIENT span ever comes: matched %v, proof %q, unproved %q; want the marker's proof", matched, proof, unproved)
	}
	if n := got.Load(); n != 2 {
		t.Errorf("the gateway got %d requests; want 2, the request and one marker", n)
	}
}
