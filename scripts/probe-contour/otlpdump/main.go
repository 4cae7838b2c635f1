// Command otlpdump is scripts/probe-contour.sh's OTLP/gRPC trace receiver: it prints every span
// it receives as one JSON line (resource attributes, name, kind, ids in hex, status, and each
// attribute with its OTLP value type), so the probe can record exactly what a gateway exports.
// It is a probe's tool, not part of the suite (the suite's receiver is framework/otlp).
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/grpc"
	_ "google.golang.org/grpc/encoding/gzip" // exporters may compress
)

type attr struct {
	Type  string `json:"type"`
	Value any    `json:"value"`
}

type line struct {
	Resource map[string]attr `json:"resource"`
	Scope    string          `json:"scope"`
	Name     string          `json:"name"`
	Kind     string          `json:"kind"`
	TraceID  string          `json:"traceId"`
	SpanID   string          `json:"spanId"`
	ParentID string          `json:"parentSpanId"`
	Status   string          `json:"status"`
	Message  string          `json:"statusMessage,omitempty"`
	Attrs    map[string]attr `json:"attributes"`
	Flags    uint32          `json:"flags"`
	Start    uint64          `json:"startUnixNano"`
	End      uint64          `json:"endUnixNano"`
	Received int64           `json:"receivedUnixNano"`
}

type server struct {
	coltracepb.UnimplementedTraceServiceServer
	mu  sync.Mutex
	enc *json.Encoder
}

func attrs(kvs []*commonpb.KeyValue) map[string]attr {
	m := map[string]attr{}
	for _, kv := range kvs {
		switch v := kv.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			m[kv.Key] = attr{"string", v.StringValue}
		case *commonpb.AnyValue_IntValue:
			m[kv.Key] = attr{"int", v.IntValue}
		case *commonpb.AnyValue_BoolValue:
			m[kv.Key] = attr{"bool", v.BoolValue}
		case *commonpb.AnyValue_DoubleValue:
			m[kv.Key] = attr{"double", v.DoubleValue}
		default:
			m[kv.Key] = attr{fmt.Sprintf("%T", v), kv.GetValue().String()}
		}
	}
	return m
}

func (s *server) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	now := time.Now().UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		res := attrs(rs.GetResource().GetAttributes())
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				_ = s.enc.Encode(line{
					Resource: res,
					Scope:    ss.GetScope().GetName() + " " + ss.GetScope().GetVersion(),
					Name:     sp.Name,
					Kind:     sp.Kind.String(),
					TraceID:  hex.EncodeToString(sp.TraceId),
					SpanID:   hex.EncodeToString(sp.SpanId),
					ParentID: hex.EncodeToString(sp.ParentSpanId),
					Status:   sp.GetStatus().GetCode().String(),
					Message:  sp.GetStatus().GetMessage(),
					Attrs:    attrs(sp.Attributes),
					Flags:    sp.Flags,
					Start:    sp.StartTimeUnixNano,
					End:      sp.EndTimeUnixNano,
					Received: now,
				})
			}
		}
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:4317", "address to serve OTLP/gRPC on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "otlpdump:", err)
		os.Exit(1)
	}
	g := grpc.NewServer()
	coltracepb.RegisterTraceServiceServer(g, &server{enc: json.NewEncoder(os.Stdout)})
	fmt.Fprintln(os.Stderr, "otlpdump: serving OTLP/gRPC on", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() { <-ctx.Done(); g.Stop() }()
	_ = g.Serve(ln)
}
