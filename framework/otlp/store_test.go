package otlp

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/tracegate/tracegate/framework/spans"
)

func TestWaitForWakesOnArrival(t *testing.T) {
	r := startReceiver(t)
	trace := traceID(6)
	body, err := proto.Marshal(sampleRequest(trace, 2))
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)

	// The export starts only after WaitFor has looked once and found nothing, so the test
	// shows that an arrival wakes a waiter rather than being found on the first look.
	looked := make(chan struct{})
	sent := make(chan error, 1)
	go func() {
		select {
		case <-looked:
		case <-ctx.Done():
			sent <- ctx.Err()
			return
		}
		res, err := do(ctx, http.MethodPost, r.HTTPEndpoint()+tracesPath, protobufType, "", body)
		if err == nil && res.status != http.StatusOK {
			err = &statusError{res.status, res.body}
		}
		sent <- err
	}()

	calls := 0
	got, err := r.Store().WaitFor(ctx, trace, func(l spans.List) bool {
		calls++
		if calls == 1 {
			if len(l) != 0 {
				t.Errorf("first look found %d spans", len(l))
			}
			close(looked)
		}
		return len(l) == 2
	})
	if err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	checkSpans(t, got, wantSpans(trace, 2))
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
}

func TestWaitForReturnsContextError(t *testing.T) {
	s := NewStore(10)
	s.Add([]spans.Span{{TraceID: traceID(8), SpanID: spanID(1)}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	got, err := s.WaitFor(ctx, traceID(8), func(l spans.List) bool { return len(l) == 2 })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if len(got) != 1 {
		t.Errorf("got %d spans, want the 1 seen last", len(got))
	}
}

func TestWaitForNilDoneWaitsForAnySpan(t *testing.T) {
	s := NewStore(10)
	s.Add([]spans.Span{{TraceID: traceID(9), SpanID: spanID(1)}})
	got, err := s.WaitFor(testContext(t), traceID(9), nil)
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestStore(t *testing.T) {
	s := NewStore(3)
	received := time.Unix(100, 0)
	if n := s.Add([]spans.Span{
		{TraceID: "a", SpanID: "1"},
		{TraceID: "b", SpanID: "2", Received: received},
		{TraceID: "a", SpanID: "3"},
		{TraceID: "a", SpanID: "4"},
	}); n != 1 {
		t.Errorf("Add rejected %d, want 1", n)
	}
	if n := s.Add([]spans.Span{{TraceID: "c", SpanID: "5"}}); n != 1 {
		t.Errorf("Add to a full store rejected %d, want 1", n)
	}
	if s.Len() != 3 || s.Dropped() != 2 || s.Cap() != 3 {
		t.Errorf("Len %d Dropped %d Cap %d, want 3 2 3", s.Len(), s.Dropped(), s.Cap())
	}

	all := s.All()
	var ids []string
	for _, sp := range all {
		ids = append(ids, sp.SpanID)
	}
	if len(ids) != 3 || ids[0] != "1" || ids[1] != "2" || ids[2] != "3" {
		t.Errorf("All in order %v, want [1 2 3]", ids)
	}
	if !all[1].Received.Equal(received) || all[0].Received.IsZero() {
		t.Errorf("Received not kept or not set: %v", all)
	}

	// Callers get copies.
	tr := s.Trace("a")
	tr[0].SpanID = "changed"
	all[0].SpanID = "changed"
	if s.Trace("a")[0].SpanID != "1" || s.All()[0].SpanID != "1" {
		t.Error("modifying a returned list changed the store")
	}
	if got := s.Trace("missing"); len(got) != 0 {
		t.Errorf("Trace(missing) = %v", got)
	}
}

func TestNewStoreDefaultCapacity(t *testing.T) {
	if c := NewStore(0).Cap(); c != DefaultCapacity {
		t.Errorf("Cap = %d, want %d", c, DefaultCapacity)
	}
}

func TestChangedIsClosedWhenSpansAreStored(t *testing.T) {
	s := NewStore(2)
	changed := s.Changed()
	if isClosed(changed) {
		t.Fatal("Changed is closed before anything was stored")
	}
	s.Add(wantSpans(traceID(7), 1))
	if !isClosed(changed) {
		t.Fatal("Changed is still open after a span was stored")
	}
	next := s.Changed()
	s.Add(wantSpans(traceID(7), 2)) // one is stored, one dropped: the store is full
	if !isClosed(next) {
		t.Fatal("the next Changed is open after another span was stored")
	}
	full := s.Changed()
	s.Add(wantSpans(traceID(7), 1)) // nothing stored
	if isClosed(full) {
		t.Fatal("a batch that stored nothing closed Changed")
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
