package otlp

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	rpcstatus "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/tracegate/tracegate/framework/spans"
)

const (
	protobufType = "application/x-protobuf"
	jsonType     = "application/json"
)

// exampleJSON follows the OTLP specification's example: ids are hex (upper case, which
// receivers must accept), enums are numbers or names, and int64 values strings or numbers.
const exampleJSON = `{
  "resourceSpans": [{
    "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "my.service"}}]},
    "scopeSpans": [{
      "scope": {"name": "my.library", "version": "1.0.0"},
      "spans": [{
        "traceId": "5B8EFFF798038103D269B633813FC60C",
        "spanId": "EEE19B7EC3C1B174",
        "parentSpanId": "EEE19B7EC3C1B173",
        "name": "I'm a server span",
        "startTimeUnixNano": "1544712660000000000",
        "endTimeUnixNano": 1544712661000000000,
        "kind": 2,
        "status": {"code": 2, "message": "bad gateway"},
        "futureField": {"ignored": true},
        "attributes": [
          {"key": "my.span.attr", "value": {"stringValue": "some value"}},
          {"key": "count", "value": {"intValue": "42"}},
          {"key": "n", "value": {"intValue": 7}},
          {"key": "ratio", "value": {"doubleValue": 0.25}},
          {"key": "raw", "value": {"bytesValue": "AQI="}},
          {"key": "flag", "value": {"boolValue": true}}
        ],
        "links": [{"traceId": "0AF7651916CD43DD8448EB211C80319C", "spanId": "B7AD6B7169203331"}]
      }, {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b175",
        "parentSpanId": "",
        "name": "root",
        "kind": "SPAN_KIND_CLIENT",
        "status": {"code": "STATUS_CODE_OK"}
      }]
    }]
  }]
}`

func exampleJSONSpans() spans.List {
	resource := map[string]any{"service.name": "my.service"}
	return spans.List{{
		TraceID:       "5b8efff798038103d269b633813fc60c",
		SpanID:        "eee19b7ec3c1b174",
		ParentSpanID:  "eee19b7ec3c1b173",
		Name:          "I'm a server span",
		Kind:          spans.KindServer,
		Status:        spans.StatusError,
		StatusMessage: "bad gateway",
		Attributes: map[string]any{
			"my.span.attr": "some value",
			"count":        int64(42),
			"n":            int64(7),
			"ratio":        0.25,
			"raw":          []byte{1, 2},
			"flag":         true,
		},
		Resource: resource,
		Scope:    "my.library", ScopeVersion: "1.0.0",
		// OTLP/JSON link ids are hex too, as the span's own.
		Links: []spans.Link{{TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "b7ad6b7169203331", Attributes: map[string]any{}}},
		Start: time.Unix(0, testStart),
		End:   time.Unix(0, testEnd),
	}, {
		TraceID:    "5b8efff798038103d269b633813fc60c",
		SpanID:     "eee19b7ec3c1b175",
		Name:       "root",
		Kind:       spans.KindClient,
		Status:     spans.StatusOK,
		Attributes: map[string]any{},
		Resource:   resource,
		Scope:      "my.library", ScopeVersion: "1.0.0",
	}}
}

func TestHTTPProtobuf(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(map[bool]string{false: "uncompressed", true: "gzip"}[gz], func(t *testing.T) {
			r := startReceiver(t)
			trace := traceID(2)
			body, err := proto.Marshal(sampleRequest(trace, 2))
			if err != nil {
				t.Fatal(err)
			}
			res := post(t, r, protobufType, gz, body)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != protobufType {
				t.Errorf("Content-Type = %q", ct)
			}
			resp := &coltracepb.ExportTraceServiceResponse{}
			if err := proto.Unmarshal(res.body, resp); err != nil {
				t.Fatalf("response: %v", err)
			}
			if resp.PartialSuccess != nil {
				t.Errorf("unexpected partial success: %v", resp.PartialSuccess)
			}
			checkSpans(t, r.Store().Trace(trace), wantSpans(trace, 2))
			if got := r.Stats(); got.HTTPProtobufRequests != 1 || got.Spans != 2 {
				t.Errorf("Stats = %+v", got)
			}
		})
	}
}

func TestHTTPJSON(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(map[bool]string{false: "uncompressed", true: "gzip"}[gz], func(t *testing.T) {
			r := startReceiver(t)
			res := post(t, r, jsonType+"; charset=utf-8", gz, []byte(exampleJSON))
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); ct != jsonType {
				t.Errorf("Content-Type = %q", ct)
			}
			resp := &coltracepb.ExportTraceServiceResponse{}
			if err := protojson.Unmarshal(res.body, resp); err != nil {
				t.Fatalf("response %q: %v", res.body, err)
			}
			if resp.PartialSuccess != nil {
				t.Errorf("unexpected partial success: %v", resp.PartialSuccess)
			}
			checkSpans(t, r.Store().Trace("5b8efff798038103d269b633813fc60c"), exampleJSONSpans())
			if got := r.Stats(); got.HTTPJSONRequests != 1 || got.Spans != 2 {
				t.Errorf("Stats = %+v", got)
			}
		})
	}
}

func TestHTTPBadRequests(t *testing.T) {
	shortSpanID := strings.Replace(exampleJSON, `"spanId": "EEE19B7EC3C1B174"`, `"spanId": "EEE19B"`, 1)
	base64Trace := strings.Replace(exampleJSON, `"traceId": "5B8EFFF798038103D269B633813FC60C"`,
		`"traceId": "W47/95gDgQPSabYzgT/GDA=="`, 1)
	badLink := strings.Replace(exampleJSON, `"spanId": "B7AD6B7169203331"`, `"spanId": "xyz"`, 1)
	shortProtoTrace := sampleRequest(traceID(3), 1)
	shortProtoTrace.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = []byte{1}
	shortProtoBody, err := proto.Marshal(shortProtoTrace)
	if err != nil {
		t.Fatal(err)
	}
	validBody, err := proto.Marshal(sampleRequest(traceID(3), 1))
	if err != nil {
		t.Fatal(err)
	}
	gzipped := gzipBytes(t, validBody)
	const limit = 4096
	tooLarge := make([]byte, limit+1)
	// A gzip bomb: small on the wire, larger than the limit once inflated.
	bomb := gzipBytes(t, tooLarge)

	for _, tc := range []struct {
		name        string
		method      string
		path        string
		contentType string
		encoding    string
		body        []byte
		wantStatus  int
		wantMsg     string // substring of the google.rpc.Status message (or plain text body)
	}{
		{"garbage protobuf", "POST", tracesPath, protobufType, "", []byte("\x0a\x05abc"), 400, "invalid OTLP protobuf"},
		{"protobuf short trace id", "POST", tracesPath, protobufType, "", shortProtoBody, 400, "spans[0].traceId"},
		{"garbage JSON", "POST", tracesPath, jsonType, "", []byte(`{"resourceSpans": [`), 400, "invalid JSON"},
		{"empty JSON", "POST", tracesPath, jsonType, "", nil, 400, "invalid JSON"},
		{"JSON trailing data", "POST", tracesPath, jsonType, "", []byte(`{} {}`), 400, "after the top-level value"},
		{"JSON wrong type", "POST", tracesPath, jsonType, "", []byte(`{"resourceSpans": 5}`), 400, "invalid OTLP/JSON"},
		{"JSON base64 trace id", "POST", tracesPath, jsonType, "", []byte(base64Trace), 400, "spans[0].traceId"},
		{"JSON short span id", "POST", tracesPath, jsonType, "", []byte(shortSpanID), 400, "spans[0].spanId"},
		{"JSON bad link id", "POST", tracesPath, jsonType, "", []byte(badLink), 400, "links[0].spanId"},
		{"truncated gzip", "POST", tracesPath, protobufType, "gzip", gzipped[:len(gzipped)/2], 400, "invalid gzip"},
		{"not gzip", "POST", tracesPath, jsonType, "gzip", []byte("{}"), 400, "invalid gzip"},
		{"too large", "POST", tracesPath, protobufType, "", tooLarge, 413, "too large"},
		{"gzip bomb", "POST", tracesPath, protobufType, "gzip", bomb, 413, "too large"},
		{"unsupported encoding", "POST", tracesPath, protobufType, "br", validBody, 415, "Content-Encoding"},
		{"text content type", "POST", tracesPath, "text/plain", "", validBody, 415, "Content-Type"},
		{"no content type", "POST", tracesPath, "", "", validBody, 415, "Content-Type"},
		{"GET", "GET", tracesPath, protobufType, "", nil, 405, "GET"},
		{"metrics path", "POST", "/v1/metrics", protobufType, "", validBody, 404, "/v1/metrics"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startReceiver(t, withMaxBodySize(limit))
			res := send(t, tc.method, r.HTTPEndpoint()+tc.path, tc.contentType, tc.encoding, tc.body)
			if res.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.status, tc.wantStatus, res.body)
			}
			msg := string(res.body)
			switch tc.contentType {
			case protobufType, jsonType:
				st := &rpcstatus.Status{}
				unmarshal := proto.Unmarshal
				if tc.contentType == jsonType {
					unmarshal = protojson.Unmarshal
				}
				if err := unmarshal(res.body, st); err != nil {
					t.Fatalf("body %q is not a google.rpc.Status: %v", res.body, err)
				}
				if ct := res.header.Get("Content-Type"); ct != tc.contentType {
					t.Errorf("Content-Type = %q, want %q", ct, tc.contentType)
				}
				if tc.wantStatus == 400 && codes.Code(st.Code) != codes.InvalidArgument {
					t.Errorf("status code %v, want InvalidArgument", codes.Code(st.Code))
				}
				msg = st.Message
			}
			if !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("message %q does not mention %q", msg, tc.wantMsg)
			}
			if tc.wantStatus == 405 && res.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q", res.header.Get("Allow"))
			}
			if n := r.Store().Len(); n != 0 {
				t.Errorf("stored %d spans", n)
			}
			st := r.Stats()
			if got := st.Malformed + st.HTTPRefused; got != 1 {
				t.Errorf("Stats = %+v, want the request counted once as malformed or refused", st)
			}
		})
	}
}

func TestCapacity(t *testing.T) {
	r := startReceiver(t, WithCapacity(3))
	trace := traceID(4)
	body, err := proto.Marshal(sampleRequest(trace, 5))
	if err != nil {
		t.Fatal(err)
	}
	res := post(t, r, protobufType, false, body)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	resp := &coltracepb.ExportTraceServiceResponse{}
	if err := proto.Unmarshal(res.body, resp); err != nil {
		t.Fatal(err)
	}
	if got := resp.GetPartialSuccess().GetRejectedSpans(); got != 2 {
		t.Errorf("rejected_spans = %d, want 2", got)
	}
	if resp.GetPartialSuccess().GetErrorMessage() == "" {
		t.Error("partial success without error_message")
	}
	if n, d := r.Store().Len(), r.Store().Dropped(); n != 3 || d != 2 {
		t.Errorf("stored %d, dropped %d; want 3 and 2", n, d)
	}
	checkSpans(t, r.Store().Trace(trace), wantSpans(trace, 3))

	// gRPC reports the same way.
	client, _ := grpcClient(t, r)
	gresp, err := client.Export(testContext(t), sampleRequest(traceID(5), 1))
	if err != nil {
		t.Fatal(err)
	}
	if got := gresp.GetPartialSuccess().GetRejectedSpans(); got != 1 {
		t.Errorf("gRPC rejected_spans = %d, want 1", got)
	}
	if st := r.Stats(); st.RejectedSpans != 3 || st.Spans != 3 || r.Store().Dropped() != 3 {
		t.Errorf("Stats = %+v, Dropped = %d; want 3 rejected", st, r.Store().Dropped())
	}
}

// TestConcurrentExports is mostly for the race detector: both protocols write while a
// waiter reads.
func TestConcurrentExports(t *testing.T) {
	r := startReceiver(t)
	client, _ := grpcClient(t, r)
	ctx := testContext(t)
	const workers, perWorker = 6, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				req := sampleRequest(traceID(100+w), 1)
				req.ResourceSpans[0].ScopeSpans[0].Spans[0].SpanId = mustHex(spanID(i + 1))
				if w%2 == 0 {
					_, err := client.Export(ctx, req)
					errs <- err
					continue
				}
				body, err := proto.Marshal(req)
				if err != nil {
					errs <- err
					continue
				}
				res, err := do(ctx, http.MethodPost, r.HTTPEndpoint()+tracesPath, protobufType, "", body)
				if err == nil && res.status != http.StatusOK {
					err = &statusError{res.status, res.body}
				}
				errs <- err
			}
		})
	}
	got, err := r.Store().WaitFor(ctx, traceID(100+workers-1), func(l spans.List) bool { return len(l) == perWorker })
	if err != nil {
		t.Errorf("WaitFor: %v (got %d spans)", err, len(got))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := r.Store().Len(); n != workers*perWorker {
		t.Errorf("stored %d spans, want %d", n, workers*perWorker)
	}
	if ids := r.Store().All().TraceIDs(); len(ids) != workers {
		t.Errorf("trace ids = %v, want %d", ids, workers)
	}
	if st := r.Stats(); st.GRPCRequests+st.HTTPProtobufRequests != workers*perWorker {
		t.Errorf("Stats = %+v", st)
	}
}

type statusError struct {
	status int
	body   []byte
}

func (e *statusError) Error() string { return http.StatusText(e.status) + ": " + string(e.body) }
