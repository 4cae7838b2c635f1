package otlp

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

func TestEndpoints(t *testing.T) {
	r := startReceiver(t)
	if !strings.HasPrefix(r.HTTPEndpoint(), "http://127.0.0.1:") {
		t.Errorf("HTTPEndpoint = %q", r.HTTPEndpoint())
	}
	if !strings.HasPrefix(r.GRPCEndpoint(), "127.0.0.1:") {
		t.Errorf("GRPCEndpoint = %q", r.GRPCEndpoint())
	}
	if r.GRPCAddr().String() != r.GRPCEndpoint() || "http://"+r.HTTPAddr().String() != r.HTTPEndpoint() {
		t.Errorf("addresses %v %v disagree with endpoints", r.GRPCAddr(), r.HTTPAddr())
	}
	if r.HTTPAddr().String() == r.GRPCAddr().String() {
		t.Error("both protocols on one address")
	}
}

func TestStartRejectsEmptyAddress(t *testing.T) {
	if r, err := Start(WithAddress("")); err == nil {
		r.Shutdown(context.Background())
		t.Fatal("Start with an empty address succeeded")
	}
}

func TestStartPortInUse(t *testing.T) {
	r := startReceiver(t)
	port := r.HTTPAddr().(*net.TCPAddr).Port
	if r2, err := Start(WithHTTPPort(port)); err == nil {
		r2.Shutdown(context.Background())
		t.Fatal("Start on a used port succeeded")
	}
}

func TestWithStoreSharesStore(t *testing.T) {
	s := NewStore(10)
	r1 := startReceiver(t, WithStore(s))
	r2 := startReceiver(t, WithStore(s), WithCapacity(1)) // capacity is the store's
	for i, r := range []*Receiver{r1, r2} {
		body, err := proto.Marshal(sampleRequest(traceID(7), 1))
		if err != nil {
			t.Fatal(err)
		}
		if res := post(t, r, protobufType, false, body); res.status != http.StatusOK {
			t.Fatalf("receiver %d: status %d", i, res.status)
		}
	}
	if r1.Store() != s || r2.Store() != s || s.Len() != 2 {
		t.Errorf("store not shared: %d spans", s.Len())
	}
}

func TestShutdown(t *testing.T) {
	r, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	if err := r.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	var d net.Dialer
	for _, addr := range []string{r.GRPCEndpoint(), r.HTTPAddr().String()} {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections", addr)
		}
	}
	if err := r.Shutdown(ctx); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}

func TestShutdownWithExpiredContext(t *testing.T) {
	r, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	// An idle receiver stops at once, so even a cancelled context may succeed; what matters
	// is that Shutdown returns and the listeners are closed.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.Shutdown(ctx)
	if conn, err := net.Dial("tcp", r.GRPCEndpoint()); err == nil {
		conn.Close()
		t.Error("gRPC listener still open")
	}
}
