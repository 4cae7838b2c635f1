package otlp

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
)

const benchBatch = 100 // spans per export, like an SDK's batch span processor

// BenchmarkIngestHTTPProtobuf measures spans/s through a real receiver over loopback.
func BenchmarkIngestHTTPProtobuf(b *testing.B) {
	r, err := Start(WithCapacity(b.N*benchBatch + benchBatch))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Shutdown(context.Background())
	body, _ := proto.Marshal(sampleRequest(traceID(1), benchBatch))
	client := &http.Client{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rsp, err := client.Post(r.HTTPEndpoint()+"/v1/traces", "application/x-protobuf", bytes.NewReader(body))
		if err != nil || rsp.StatusCode != http.StatusOK {
			b.Fatalf("export: %v %v", err, rsp)
		}
		rsp.Body.Close()
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "spans/s")
}

// BenchmarkIngestGRPC measures spans/s through a real receiver over loopback gRPC.
func BenchmarkIngestGRPC(b *testing.B) {
	r, err := Start(WithCapacity(b.N*benchBatch + benchBatch))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Shutdown(context.Background())
	conn, err := grpc.NewClient(r.GRPCEndpoint(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	client := coltracepb.NewTraceServiceClient(conn)
	req := sampleRequest(traceID(1), benchBatch)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := client.Export(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "spans/s")
}

// BenchmarkStoreRetainedBytesPerSpan measures the heap a stored span keeps alive.
func BenchmarkStoreRetainedBytesPerSpan(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		store := NewStore(n)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := 0; i < n/benchBatch; i++ {
			// A fresh copy per batch, as the receiver decodes each export anew.
			store.Add(FromProto(sampleRequest(traceID(i), benchBatch).ResourceSpans))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/span")
		runtime.KeepAlive(store)
	}
}
