package otlp

import (
	"errors"
	"strings"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/status"
)

func grpcClient(t *testing.T, r *Receiver) (coltracepb.TraceServiceClient, *grpc.ClientConn) {
	t.Helper()
	conn, err := grpc.NewClient(r.GRPCEndpoint(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return coltracepb.NewTraceServiceClient(conn), conn
}

func TestGRPCExport(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []grpc.CallOption
	}{
		{"uncompressed", nil},
		{"gzip", []grpc.CallOption{grpc.UseCompressor(gzip.Name)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startReceiver(t)
			client, _ := grpcClient(t, r)
			trace := traceID(1)
			resp, err := client.Export(testContext(t), sampleRequest(trace, 3), tc.opts...)
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			if resp.PartialSuccess != nil {
				t.Errorf("unexpected partial success: %v", resp.PartialSuccess)
			}
			checkSpans(t, r.Store().Trace(trace), wantSpans(trace, 3))
			if got := r.Stats(); got.GRPCRequests != 1 || got.Spans != 3 {
				t.Errorf("Stats = %+v, want 1 gRPC request and 3 spans", got)
			}
		})
	}
}

func TestGRPCEmptyRequestSucceeds(t *testing.T) {
	// OTLP: a request without telemetry is not an error.
	r := startReceiver(t)
	client, _ := grpcClient(t, r)
	if _, err := client.Export(testContext(t), &coltracepb.ExportTraceServiceRequest{}); err != nil {
		t.Fatalf("Export: %v", err)
	}
	if n := r.Store().Len(); n != 0 {
		t.Errorf("stored %d spans", n)
	}
}

func TestGRPCInvalidIDs(t *testing.T) {
	r := startReceiver(t)
	client, _ := grpcClient(t, r)
	req := sampleRequest(traceID(1), 1)
	req.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = []byte{1, 2, 3}
	_, err := client.Export(testContext(t), req)
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "traceId") {
		t.Fatalf("err = %v, want InvalidArgument naming traceId", err)
	}
	if n := r.Store().Len(); n != 0 {
		t.Errorf("stored %d spans", n)
	}
	if m := r.Stats().Malformed; m != 1 {
		t.Errorf("Malformed = %d, want 1", m)
	}
}

// rawCodec sends bytes as they are, to get past the client's own marshalling.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.([]byte)
	if !ok {
		return nil, errors.New("rawCodec: want []byte")
	}
	return b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}

func TestGRPCGarbage(t *testing.T) {
	r := startReceiver(t)
	_, conn := grpcClient(t, r)
	var out []byte
	err := conn.Invoke(testContext(t), "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
		[]byte("\x0a\x05abc"), &out, grpc.ForceCodec(rawCodec{}))
	// gRPC rejects undecodable messages before the service sees them, with Internal.
	if status.Code(err) != codes.Internal {
		t.Fatalf("err = %v, want code Internal", err)
	}
	if n := r.Store().Len(); n != 0 {
		t.Errorf("stored %d spans", n)
	}
}

func TestGRPCTooLarge(t *testing.T) {
	r := startReceiver(t, withMaxBodySize(1024))
	client, _ := grpcClient(t, r)
	_, err := client.Export(testContext(t), sampleRequest(traceID(1), 100))
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("err = %v, want ResourceExhausted", err)
	}
}
