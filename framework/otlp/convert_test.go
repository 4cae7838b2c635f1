package otlp_test

import (
	"strings"
	"testing"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/tracegate/tracegate/framework/otlp"
	"github.com/tracegate/tracegate/framework/spans"
)

func TestFromProtoKeepsEventsLinksDroppedCountsAndSchemas(t *testing.T) {
	str := func(k, v string) *commonpb.KeyValue {
		return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
	}
	tid := []byte{0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c}
	sid := []byte{0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31}
	got := otlp.FromProto([]*tracepb.ResourceSpans{{
		Resource:  &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", "gw")}},
		SchemaUrl: "https://opentelemetry.io/schemas/1.37.0",
		ScopeSpans: []*tracepb.ScopeSpans{{
			Scope:     &commonpb.InstrumentationScope{Name: "envoy", Version: "1.40.0"},
			SchemaUrl: "https://opentelemetry.io/schemas/1.26.0",
			Spans: []*tracepb.Span{{
				TraceId: tid, SpanId: sid, Name: "ingress", Kind: tracepb.Span_SPAN_KIND_SERVER, TraceState: "a=b",
				Events:                 []*tracepb.Span_Event{{Name: "retry", TimeUnixNano: 1, Attributes: []*commonpb.KeyValue{str("why", "reset")}}},
				Links:                  []*tracepb.Span_Link{{TraceId: tid, SpanId: sid, TraceState: "c=d"}},
				DroppedAttributesCount: 1, DroppedEventsCount: 2, DroppedLinksCount: 3,
			}},
		}},
	}})
	if len(got) != 1 {
		t.Fatalf("got %d spans", len(got))
	}
	s := got[0]
	if s.ScopeVersion != "1.40.0" ||
		s.TraceState != "a=b" ||
		s.SchemaURL != "https://opentelemetry.io/schemas/1.26.0" ||
		s.ResourceSchemaURL != "https://opentelemetry.io/schemas/1.37.0" {
		t.Errorf("scope, trace state or schemas lost: %+v", s)
	}
	if len(s.Events) != 1 || s.Events[0].Name != "retry" || s.Events[0].Attributes["why"] != "reset" {
		t.Errorf("events %+v", s.Events)
	}
	if len(s.Links) != 1 ||
		s.Links[0].TraceID != "0af7651916cd43dd8448eb211c80319c" ||
		s.Links[0].SpanID != "b7ad6b7169203331" ||
		s.Links[0].TraceState != "c=d" {
		t.Errorf("links %+v", s.Links)
	}
	if s.DroppedAttributes != 1 || s.DroppedEvents != 2 || s.DroppedLinks != 3 {
		t.Errorf("dropped counts %d %d %d", s.DroppedAttributes, s.DroppedEvents, s.DroppedLinks)
	}
	for _, c := range []spans.Criterion{spans.WithEvent("retry"), spans.WithLinkTo("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")} {
		if ok, got := c.Check(s); !ok {
			t.Errorf("%s: got %s", c.Description, got)
		}
	}
	if ok, got := spans.WithEvent("timeout").Check(s); ok || got != `with events ["retry"]` {
		t.Errorf("WithEvent(timeout) = %t, %q", ok, got)
	}
	tree := spans.Tree(got)
	for _, want := range []string{
		`tracestate="a=b"`,
		`event "retry"`,
		"link to span b7ad6b7169203331",
		"dropped by the exporter: 1 attributes, 2 events, 3 links",
	} {
		if !strings.Contains(tree, want) {
			t.Errorf("tree lacks %q:\n%s", want, tree)
		}
	}
}
