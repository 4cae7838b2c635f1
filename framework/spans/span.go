// Package spans is the suite's span model: queries, Gomega matchers and trace-tree rendering.
package spans

import (
	"fmt"
	"sort"
	"time"
)

// Kind is a span kind as OTLP names it, without the SPAN_KIND_ prefix.
type Kind string

// The span kinds OTLP defines.
const (
	KindUnspecified Kind = "UNSPECIFIED"
	KindInternal    Kind = "INTERNAL"
	KindServer      Kind = "SERVER"
	KindClient      Kind = "CLIENT"
	KindProducer    Kind = "PRODUCER"
	KindConsumer    Kind = "CONSUMER"
)

// StatusCode is a span status as OTLP names it, without the STATUS_CODE_ prefix.
type StatusCode string

// The status codes OTLP defines.
const (
	StatusUnset StatusCode = "UNSET"
	StatusOK    StatusCode = "OK"
	StatusError StatusCode = "ERROR"
)

// Span is one received span, decoded from OTLP into plain Go values so that matchers and
// failure messages never deal with protobuf types. Ids are lower-case hex.
type Span struct {
	TraceID       string
	SpanID        string
	ParentSpanID  string
	Name          string
	Kind          Kind
	Status        StatusCode
	StatusMessage string
	// TraceState is the span's W3C tracestate, "" for none.
	TraceState string
	// Attributes hold string, bool, int64, float64, []byte or []any values.
	Attributes map[string]any
	// Resource holds the resource attributes of the exporter that sent the span.
	Resource map[string]any
	// Scope and ScopeVersion name the instrumentation scope that made the span (for Envoy,
	// "envoy" and its build version).
	Scope        string
	ScopeVersion string
	// Events and Links as OTLP carries them.
	Events []Event
	Links  []Link
	// Dropped counts what the exporter left out of the span for its limits.
	DroppedAttributes, DroppedEvents, DroppedLinks uint32
	// SchemaURL and ResourceSchemaURL are the semantic-conventions schemas the span's scope and
	// resource declare, "" for none.
	SchemaURL, ResourceSchemaURL string
	Start                        time.Time
	End                          time.Time
	// Received is when the receiver stored the span.
	Received time.Time
}

// Event is a span event: something that happened at a point in the span.
type Event struct {
	Name       string
	Time       time.Time
	Attributes map[string]any
}

// Link is a span link: a reference to a span in this or another trace.
type Link struct {
	TraceID, SpanID, TraceState string
	Attributes                  map[string]any
}

// String is a one-line summary used in trees and logs.
func (s Span) String() string {
	return fmt.Sprintf("%s %q status=%s span=%s", s.Kind, s.Name, s.Status, s.SpanID)
}

// List is the spans of one query, in arrival order.
type List []Span

// ByID returns the span with the given span id.
func (l List) ByID(spanID string) (Span, bool) {
	for _, s := range l {
		if s.SpanID == spanID {
			return s, true
		}
	}
	return Span{}, false
}

// TraceIDs returns the distinct trace ids in the list, sorted.
func (l List) TraceIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, s := range l {
		if !seen[s.TraceID] {
			seen[s.TraceID] = true
			ids = append(ids, s.TraceID)
		}
	}
	sort.Strings(ids)
	return ids
}

// Source is where spans are looked up: the in-process receiver's store, or a remote one.
type Source interface {
	// Trace returns every span received so far with the given trace id.
	Trace(traceID string) List
	// All returns every span received so far, in arrival order.
	All() List
	// Dropped returns how many spans were received but not stored because the store was full.
	Dropped() int64
}

// Notifier is a Source that says when spans arrive, so a waiting check can look again at once
// instead of at its next poll: Changed returns a channel that is closed when the next spans
// are stored.
type Notifier interface {
	Changed() <-chan struct{}
}
