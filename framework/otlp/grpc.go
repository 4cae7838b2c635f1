package otlp

import (
	"context"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	// The OpenTelemetry Collector and most SDK exporters compress with gzip by default.
	_ "google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/status"
)

type traceService struct {
	coltracepb.UnimplementedTraceServiceServer
	r *Receiver
}

func newGRPCServer(r *Receiver) *grpc.Server {
	// gRPC's default 4 MiB limit is below what a batching collector may send; use the same
	// limit as HTTP so both protocols accept the same exports.
	s := grpc.NewServer(grpc.MaxRecvMsgSize(int(r.maxBody)))
	coltracepb.RegisterTraceServiceServer(s, &traceService{r: r})
	return s
}

// Export is called only for requests gRPC could decode; undecodable ones get codes.Internal
// from gRPC itself.
func (t *traceService) Export(
	_ context.Context,
	req *coltracepb.ExportTraceServiceRequest,
) (*coltracepb.ExportTraceServiceResponse, error) {
	t.r.stats.grpc.Add(1)
	if err := validate(req.GetResourceSpans()); err != nil {
		t.r.stats.malformed.Add(1)
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return response(t.r.accept(FromProto(req.GetResourceSpans()))), nil
}

func response(rejected int64, msg string) *coltracepb.ExportTraceServiceResponse {
	resp := &coltracepb.ExportTraceServiceResponse{}
	if rejected > 0 {
		resp.PartialSuccess = &coltracepb.ExportTracePartialSuccess{RejectedSpans: rejected, ErrorMessage: msg}
	}
	return resp
}
