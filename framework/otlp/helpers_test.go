package otlp

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/tracegate/tracegate/framework/spans"
)

const (
	testParentID = "eee19b7ec3c1b173"
	testStart    = int64(1544712660000000000)
	testEnd      = int64(1544712661000000000)
)

// testTimeout bounds every wait so a broken receiver fails the test instead of hanging it.
const testTimeout = 10 * time.Second

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func startReceiver(t *testing.T, opts ...Option) *Receiver {
	t.Helper()
	r, err := Start(opts...)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return r
}

func traceID(n int) string { return fmt.Sprintf("5b8efff798038103d269b633813f%04x", n) }

func spanID(n int) string { return fmt.Sprintf("%016x", n) }

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func str(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

func kv(k string, v *commonpb.AnyValue) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: v}
}

// sampleRequest builds n spans of one trace: a server span carrying every attribute type,
// followed by client children.
func sampleRequest(trace string, n int) *coltracepb.ExportTraceServiceRequest {
	var ss []*tracepb.Span
	for i := 1; i <= n; i++ {
		sp := &tracepb.Span{
			TraceId:           mustHex(trace),
			SpanId:            mustHex(spanID(i)),
			ParentSpanId:      mustHex(spanID(1)),
			Name:              "child",
			Kind:              tracepb.Span_SPAN_KIND_CLIENT,
			StartTimeUnixNano: uint64(testStart),
			EndTimeUnixNano:   uint64(testEnd),
		}
		if i == 1 {
			sp.ParentSpanId = mustHex(testParentID)
			sp.Name = "GET /anything"
			sp.Kind = tracepb.Span_SPAN_KIND_SERVER
			sp.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: "boom"}
			sp.Attributes = []*commonpb.KeyValue{
				kv("http.request.method", str("GET")),
				kv("ok", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}),
				kv("http.response.status_code", &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: 500}}),
				kv("ratio", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 0.5}}),
				kv("raw", &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{1, 2}}}),
				kv("list", &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{
					Values: []*commonpb.AnyValue{str("a"), {Value: &commonpb.AnyValue_IntValue{IntValue: 1}}},
				}}}),
				kv("nested", &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{
					Values: []*commonpb.KeyValue{kv("k", str("v"))},
				}}}),
			}
		}
		ss = append(ss, sp)
	}
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{kv("service.name", str("gateway"))}},
		ScopeSpans: []*tracepb.ScopeSpans{{
			Scope: &commonpb.InstrumentationScope{Name: "tracegate-test"},
			Spans: ss,
		}},
	}}}
}

// wantSpans is what sampleRequest(trace, n) must turn into.
func wantSpans(trace string, n int) spans.List {
	var out spans.List
	for i := 1; i <= n; i++ {
		sp := spans.Span{
			TraceID:      trace,
			SpanID:       spanID(i),
			ParentSpanID: spanID(1),
			Name:         "child",
			Kind:         spans.KindClient,
			Status:       spans.StatusUnset,
			Attributes:   map[string]any{},
			Resource:     map[string]any{"service.name": "gateway"},
			Scope:        "tracegate-test",
			Start:        time.Unix(0, testStart),
			End:          time.Unix(0, testEnd),
		}
		if i == 1 {
			sp.ParentSpanID = testParentID
			sp.Name = "GET /anything"
			sp.Kind = spans.KindServer
			sp.Status = spans.StatusError
			sp.StatusMessage = "boom"
			sp.Attributes = map[string]any{
				"http.request.method":       "GET",
				"ok":                        true,
				"http.response.status_code": int64(500),
				"ratio":                     0.5,
				"raw":                       []byte{1, 2},
				"list":                      []any{"a", int64(1)},
				"nested":                    map[string]any{"k": "v"},
			}
		}
		out = append(out, sp)
	}
	return out
}

// checkSpans compares everything but Received, which must merely be set.
func checkSpans(t *testing.T, got, want spans.List) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d spans, want %d: %v", len(got), len(want), got)
	}
	for i := range got {
		if got[i].Received.IsZero() {
			t.Errorf("span %d: Received not set", i)
		}
		g := got[i]
		g.Received = time.Time{}
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("span %d:\n got  %#v\n want %#v", i, g, want[i])
		}
	}
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type httpResult struct {
	status int
	header http.Header
	body   []byte
}

// send makes one HTTP request to the receiver; an empty contentType sends no header.
func send(t *testing.T, method, url, contentType, contentEncoding string, body []byte) httpResult {
	t.Helper()
	res, err := do(testContext(t), method, url, contentType, contentEncoding, body)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// do is send for goroutines other than the test's, which must not call t.Fatal.
func do(ctx context.Context, method, url, contentType, contentEncoding string, body []byte) (httpResult, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return httpResult{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if contentEncoding != "" {
		req.Header.Set("Content-Encoding", contentEncoding)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return httpResult{}, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return httpResult{}, fmt.Errorf("reading response: %w", err)
	}
	return httpResult{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// post sends an export body, gzipping it first when asked.
func post(t *testing.T, r *Receiver, contentType string, gz bool, body []byte) httpResult {
	t.Helper()
	encoding := ""
	if gz {
		body, encoding = gzipBytes(t, body), "gzip"
	}
	return send(t, http.MethodPost, r.HTTPEndpoint()+tracesPath, contentType, encoding, body)
}
