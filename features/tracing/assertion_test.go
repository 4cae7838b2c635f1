package tracing

import (
	"context"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/spans"
)

// forever is a polling interval and deadline no test outlasts: a wait that ends did not end by
// polling or running out.
const forever = time.Hour

func storeAssertion(t *testing.T, store *otlp.Store, traceID string) SpanAssertion {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return SpanAssertion{in: Input{Spans: store}, ctx: ctx, query: spans.Of(store, traceID)}
}

func storedSpan(traceID, id string, kind spans.Kind, name string) spans.Span {
	return spans.Span{TraceID: traceID, SpanID: id, Name: name, Kind: kind}
}

func TestAwaitWakesWhenASpanIsStored(t *testing.T) {
	store := otlp.NewStore(0)
	a := storeAssertion(t, store, "a1")
	done := make(chan bool)
	go func() {
		_, ok := a.await(spans.HaveSpan(spans.Server()), time.Now().Add(forever), forever, false)
		done <- ok
	}()
	time.Sleep(20 * time.Millisecond) // let await look once and find nothing
	store.Add(spans.List{storedSpan("a1", "s1", spans.KindServer, "ingress")})
	if ok := <-done; !ok {
		t.Fatal("await did not see the span stored while it waited (it ended with the context, not at the arrival)")
	}
}

func TestAwaitEarlyEndsAtTheFirstMismatchOnly(t *testing.T) {
	store := otlp.NewStore(0)
	store.Add(spans.List{storedSpan("b2", "c1", spans.KindClient, "egress")})
	a := storeAssertion(t, store, "b2")
	rcv, ok := a.await(spans.HaveSpan(spans.Server()), time.Now().Add(forever), forever, true)
	if ok || len(rcv.Spans) != 1 {
		t.Fatalf("await early on a trace holding only a CLIENT span: matched %v with %d spans, want a mismatch of 1 span", ok, len(rcv.Spans))
	}
	// A trace with nothing in it is waited for until the deadline, early or not.
	empty := storeAssertion(t, store, "none")
	if rcv, ok := empty.await(spans.HaveSpan(spans.Server()), time.Now().Add(50*time.Millisecond), forever, true); ok || len(rcv.Spans) != 0 {
		t.Fatalf("await on an empty trace: matched %v with %d spans", ok, len(rcv.Spans))
	}
}
