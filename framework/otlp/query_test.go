package otlp

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tracegate/tracegate/framework/spans"
)

func TestRemoteReadsTheStoreWithTypedValues(t *testing.T) {
	store := NewStore(1)
	in := spans.Span{
		TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "b7ad6b7169203331", Name: "GET", Kind: spans.KindServer,
		Status: spans.StatusError, Start: time.Unix(1, 0).UTC(), End: time.Unix(2, 0).UTC(), Received: time.Unix(3, 0).UTC(),
		Attributes: map[string]any{"s": "v", "i": int64(200), "d": 1.5, "b": true, "y": []byte{1, 2},
			"a": []any{"x", int64(1)}, "m": map[string]any{"k": "v"}},
		Resource: map[string]any{"service.name": "gw"},
	}
	store.Add([]spans.Span{in, in}) // the second is dropped: capacity 1
	q, err := ServeQueries(store)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	remote := NewRemote(q.URL)
	if err := remote.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := remote.Trace(in.TraceID)
	if len(got) != 1 || !reflect.DeepEqual(got[0], in) {
		t.Fatalf("remote span differs:\n got %#v\nwant %#v", got, in)
	}
	if remote.Dropped() != 1 || len(remote.All()) != 1 || len(remote.Trace("ffffffffffffffffffffffffffffffff")) != 0 {
		t.Fatalf("dropped %d, all %d", remote.Dropped(), len(remote.All()))
	}
	q.Close()
	if err := remote.Check(context.Background()); err == nil {
		t.Fatal("Check should fail once the server is gone")
	}
}

func TestRemoteChangedIsClosedWhenTheServersStoreStoresSpans(t *testing.T) {
	store := NewStore(0)
	q, err := ServeQueries(store)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	remote := NewRemote(q.URL)
	changed := remote.Changed()
	if remote.Changed() != changed {
		t.Fatal("two waiters got two long polls, want one shared")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Spans stored before the long poll reached the server do not close it: store until one does.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-changed:
			if next := remote.Changed(); next == changed {
				t.Fatal("after a change, Changed returned the closed channel again")
			}
			return
		case <-ctx.Done():
			t.Fatalf("Changed was not closed although %d spans were stored", i)
		case <-tick.C:
			store.Add(spans.List{{TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: fmt.Sprint(i)}})
		}
	}
}
