package otlp

import (
	"regexp"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

var (
	hexTraceID = regexp.MustCompile(`^[0-9a-f]{32}$`)
	hexSpanID  = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// checkDecoded asserts what every accepted request must give the store: well-formed ids.
func checkDecoded(t *testing.T, req *coltracepb.ExportTraceServiceRequest) {
	for _, sp := range FromProto(req.GetResourceSpans()) {
		if !hexTraceID.MatchString(sp.TraceID) {
			t.Fatalf("accepted trace id %q", sp.TraceID)
		}
		if !hexSpanID.MatchString(sp.SpanID) {
			t.Fatalf("accepted span id %q", sp.SpanID)
		}
		if sp.ParentSpanID != "" && !hexSpanID.MatchString(sp.ParentSpanID) {
			t.Fatalf("accepted parent span id %q", sp.ParentSpanID)
		}
	}
}

func FuzzHTTPJSON(f *testing.F) {
	f.Add([]byte(exampleJSON))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"","spanId":"00"}]}]}]}`))
	f.Add([]byte(`{"resource_spans":[{"scope_spans":[{"spans":[` +
		`{"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","links":[{}]}]}]}]}`))
	f.Add([]byte(`[1, "x", null]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeJSON(body)
		if err != nil {
			return
		}
		checkDecoded(t, req)
	})
}

func FuzzHTTPProtobuf(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		b, err := proto.Marshal(sampleRequest(traceID(n), n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\x0a\x05abc"))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeProtobuf(body)
		if err != nil {
			return
		}
		checkDecoded(t, req)
	})
}
