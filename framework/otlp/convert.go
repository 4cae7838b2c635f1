package otlp

import (
	"encoding/hex"
	"fmt"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/tracegate/tracegate/framework/spans"
)

const (
	traceIDSize = 16
	spanIDSize  = 8
)

// FromProto converts OTLP resource spans into the suite's span model. It does not validate
// ids; the receiver rejects requests with malformed ids before converting them.
func FromProto(rs []*tracepb.ResourceSpans) []spans.Span {
	var out []spans.Span
	for _, r := range rs {
		// One map per resource is shared by its spans: stored spans are read-only.
		resource := attributes(r.GetResource().GetAttributes())
		resourceSchema := r.GetSchemaUrl()
		for _, ss := range r.GetScopeSpans() {
			scope, scopeVersion := ss.GetScope().GetName(), ss.GetScope().GetVersion()
			for _, sp := range ss.GetSpans() {
				if sp == nil {
					continue
				}
				out = append(out, spans.Span{
					TraceID:       hex.EncodeToString(sp.TraceId),
					SpanID:        hex.EncodeToString(sp.SpanId),
					ParentSpanID:  parentID(sp.ParentSpanId),
					Name:          sp.Name,
					Kind:          kind(sp.Kind),
					Status:        statusCode(sp.GetStatus().GetCode()),
					StatusMessage: sp.GetStatus().GetMessage(),
					TraceState:    sp.TraceState,
					Attributes:    attributes(sp.Attributes),
					Resource:      resource,
					Scope:         scope,
					ScopeVersion:  scopeVersion,
					Events:        events(sp.GetEvents()),
					Links:         links(sp.GetLinks()),
					SchemaURL:     ss.GetSchemaUrl(), ResourceSchemaURL: resourceSchema,
					DroppedAttributes: sp.GetDroppedAttributesCount(), DroppedEvents: sp.GetDroppedEventsCount(),
					DroppedLinks: sp.GetDroppedLinksCount(),
					Start:        unixNanos(sp.StartTimeUnixNano),
					End:          unixNanos(sp.EndTimeUnixNano),
				})
			}
		}
	}
	return out
}

// parentID treats an all-zero id like a missing one: some SDKs send zeros for root spans.
func parentID(id []byte) string {
	for _, b := range id {
		if b != 0 {
			return hex.EncodeToString(id)
		}
	}
	return ""
}

func events(es []*tracepb.Span_Event) []spans.Event {
	var out []spans.Event
	for _, e := range es {
		out = append(out, spans.Event{Name: e.GetName(), Time: unixNanos(e.GetTimeUnixNano()), Attributes: attributes(e.GetAttributes())})
	}
	return out
}

func links(ls []*tracepb.Span_Link) []spans.Link {
	var out []spans.Link
	for _, l := range ls {
		out = append(out, spans.Link{TraceID: hex.EncodeToString(l.GetTraceId()), SpanID: hex.EncodeToString(l.GetSpanId()),
			TraceState: l.GetTraceState(), Attributes: attributes(l.GetAttributes())})
	}
	return out
}

// kind keeps out-of-range values visible instead of folding them into UNSPECIFIED, because a
// gateway sending them is exactly what the suite should report.
func kind(k tracepb.Span_SpanKind) spans.Kind {
	switch k {
	case tracepb.Span_SPAN_KIND_UNSPECIFIED:
		return spans.KindUnspecified
	case tracepb.Span_SPAN_KIND_INTERNAL:
		return spans.KindInternal
	case tracepb.Span_SPAN_KIND_SERVER:
		return spans.KindServer
	case tracepb.Span_SPAN_KIND_CLIENT:
		return spans.KindClient
	case tracepb.Span_SPAN_KIND_PRODUCER:
		return spans.KindProducer
	case tracepb.Span_SPAN_KIND_CONSUMER:
		return spans.KindConsumer
	}
	return spans.Kind(fmt.Sprintf("INVALID(%d)", int32(k)))
}

func statusCode(c tracepb.Status_StatusCode) spans.StatusCode {
	switch c {
	case tracepb.Status_STATUS_CODE_UNSET:
		return spans.StatusUnset
	case tracepb.Status_STATUS_CODE_OK:
		return spans.StatusOK
	case tracepb.Status_STATUS_CODE_ERROR:
		return spans.StatusError
	}
	return spans.StatusCode(fmt.Sprintf("INVALID(%d)", int32(c)))
}

// unixNanos maps 0 (unset) to the zero time so that IsZero works on it.
func unixNanos(n uint64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(n))
}

func attributes(kvs []*commonpb.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		if kv == nil {
			continue
		}
		m[kv.Key] = value(kv.Value)
	}
	return m
}

func value(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_BytesValue:
		return x.BytesValue
	case *commonpb.AnyValue_ArrayValue:
		vals := x.ArrayValue.GetValues()
		out := make([]any, len(vals))
		for i, e := range vals {
			out[i] = value(e)
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		return attributes(x.KvlistValue.GetValues())
	}
	return nil
}

// validate rejects what cannot be stored meaningfully: spans are indexed by trace id, so ids
// of the wrong size would make them unreachable. Error messages name the offending field
// with its OTLP/JSON path so a gateway's maintainer can find it.
func validate(rs []*tracepb.ResourceSpans) error {
	for i, r := range rs {
		for j, ss := range r.GetScopeSpans() {
			for k, sp := range ss.GetSpans() {
				path := fmt.Sprintf("resourceSpans[%d].scopeSpans[%d].spans[%d]", i, j, k)
				if err := checkID(path+".traceId", sp.GetTraceId(), traceIDSize, false); err != nil {
					return err
				}
				if err := checkID(path+".spanId", sp.GetSpanId(), spanIDSize, false); err != nil {
					return err
				}
				if err := checkID(path+".parentSpanId", sp.GetParentSpanId(), spanIDSize, true); err != nil {
					return err
				}
				for l, ln := range sp.GetLinks() {
					lpath := fmt.Sprintf("%s.links[%d]", path, l)
					if err := checkID(lpath+".traceId", ln.GetTraceId(), traceIDSize, false); err != nil {
						return err
					}
					if err := checkID(lpath+".spanId", ln.GetSpanId(), spanIDSize, false); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func checkID(field string, id []byte, size int, optional bool) error {
	if len(id) == size || (optional && len(id) == 0) {
		return nil
	}
	return fmt.Errorf("%s: want %d bytes, got %d", field, size, len(id))
}
