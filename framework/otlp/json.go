package otlp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tracegate/tracegate/framework/spans"
)

// OTLP/JSON differs from protojson in one way that matters here: trace and span ids are hex,
// while protojson expects base64 for bytes fields. Other bytes values (AnyValue bytesValue)
// stay base64, so only the id fields at their known places are rewritten.
var (
	spanIDFields = []idField{
		{[]string{"traceId", "trace_id"}, traceIDSize},
		{[]string{"spanId", "span_id"}, spanIDSize},
		{[]string{"parentSpanId", "parent_span_id"}, spanIDSize},
	}
	linkIDFields = []idField{
		{[]string{"traceId", "trace_id"}, traceIDSize},
		{[]string{"spanId", "span_id"}, spanIDSize},
	}
	jsonUnmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}
)

type idField struct {
	names []string // protojson accepts both the JSON and the proto spelling
	size  int
}

// DecodeJSON decodes one OTLP/JSON export request, as the receiver does, into spans: for readers
// of OTLP/JSON written elsewhere, such as a collector's file exporter.
func DecodeJSON(body []byte) (spans.List, error) {
	req, err := decodeJSON(body)
	if err != nil {
		return nil, err
	}
	return FromProto(req.ResourceSpans), nil
}

// decodeJSON decodes an OTLP/JSON export request and validates its ids.
func decodeJSON(body []byte) (*coltracepb.ExportTraceServiceRequest, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	// UseNumber keeps 64-bit integers exact through the round trip.
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: data after the top-level value")
	}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, errors.New("invalid JSON: top-level value is not an object")
	}
	if err := hexIDsToBase64(root); err != nil {
		return nil, err
	}
	rewritten, err := json.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	req := &coltracepb.ExportTraceServiceRequest{}
	if err := jsonUnmarshal.Unmarshal(rewritten, req); err != nil {
		return nil, fmt.Errorf("invalid OTLP/JSON: %w", err)
	}
	if err := validate(req.ResourceSpans); err != nil {
		return nil, err
	}
	return req, nil
}

// hexIDsToBase64 leaves values of unexpected types alone: protojson reports them better.
func hexIDsToBase64(root map[string]any) error {
	for i, rs := range arrays(root, "resourceSpans", "resource_spans") {
		for j, ss := range arrays(object(rs), "scopeSpans", "scope_spans") {
			for k, sp := range arrays(object(ss), "spans") {
				path := fmt.Sprintf("resourceSpans[%d].scopeSpans[%d].spans[%d]", i, j, k)
				span := object(sp)
				if err := rewriteIDs(span, path, spanIDFields); err != nil {
					return err
				}
				for l, ln := range arrays(span, "links") {
					if err := rewriteIDs(object(ln), fmt.Sprintf("%s.links[%d]", path, l), linkIDFields); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func rewriteIDs(m map[string]any, path string, fields []idField) error {
	for _, f := range fields {
		for _, name := range f.names {
			s, ok := m[name].(string)
			if !ok || s == "" {
				// Missing ids are reported by validate, with the same wording for both encodings.
				continue
			}
			id, err := hex.DecodeString(s)
			if err != nil {
				return fmt.Errorf("%s.%s: %s is not hex (OTLP/JSON ids are hex, not base64)", path, name, short(s))
			}
			if len(id) != f.size {
				return fmt.Errorf("%s.%s: want %d hex digits, got %d", path, name, 2*f.size, len(s))
			}
			m[name] = base64.StdEncoding.EncodeToString(id)
		}
	}
	return nil
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arrays(m map[string]any, names ...string) []any {
	var out []any
	for _, name := range names {
		a, _ := m[name].([]any)
		out = append(out, a...)
	}
	return out
}

// short keeps error messages, which are sent back to the client, small whatever the input.
func short(s string) string {
	const max = 64
	if len(s) > max {
		return fmt.Sprintf("%q...", s[:max])
	}
	return fmt.Sprintf("%q", s)
}
