package spans

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Criterion is one property a span must have. It describes itself for failure messages and,
// when a span lacks the property, says what the span had instead.
type Criterion struct {
	// Description reads as the end of "a span ...", e.g. `named "GET /"`.
	Description string
	// AttributeKeys are the span attributes this criterion looks at, shown in failure trees.
	AttributeKeys []string
	check         func(Span) (ok bool, got string)
}

// Check reports whether s satisfies the criterion and, if not, what s had instead.
func (c Criterion) Check(s Span) (ok bool, got string) { return c.check(s) }

// Named requires the span name to equal name.
func Named(name string) Criterion {
	return Criterion{
		Description: fmt.Sprintf("named %q", name),
		check: func(s Span) (bool, string) {
			return s.Name == name, fmt.Sprintf("named %q", s.Name)
		},
	}
}

// OfKind requires the span kind.
func OfKind(kind Kind) Criterion {
	return Criterion{
		Description: "of kind " + string(kind),
		check: func(s Span) (bool, string) {
			return s.Kind == kind, "of kind " + string(s.Kind)
		},
	}
}

// Server requires a SERVER span: the span a gateway opens for an incoming request.
func Server() Criterion { return OfKind(KindServer) }

// Client requires a CLIENT span: the span a gateway opens for its call to the upstream.
func Client() Criterion { return OfKind(KindClient) }

// WithStatus requires the span status code.
func WithStatus(code StatusCode) Criterion {
	return Criterion{
		Description: "with status " + string(code),
		check: func(s Span) (bool, string) {
			return s.Status == code, "with status " + string(s.Status)
		},
	}
}

// InTrace requires the span to belong to the trace.
func InTrace(traceID string) Criterion {
	return Criterion{
		Description: "in trace " + traceID,
		check: func(s Span) (bool, string) {
			return s.TraceID == traceID, "in trace " + s.TraceID
		},
	}
}

// WithSpanID requires the span's own id.
func WithSpanID(spanID string) Criterion {
	return Criterion{
		Description: "with span id " + spanID,
		check: func(s Span) (bool, string) {
			return s.SpanID == spanID, "with span id " + s.SpanID
		},
	}
}

// ChildOf requires the span's parent to be the span with the given id.
func ChildOf(parentSpanID string) Criterion {
	return Criterion{
		Description: "child of span " + parentSpanID,
		check: func(s Span) (bool, string) {
			return s.ParentSpanID == parentSpanID, "child of span " + orNone(s.ParentSpanID)
		},
	}
}

// WithTraceState requires the span's W3C tracestate to be exactly state.
func WithTraceState(state string) Criterion {
	return Criterion{
		Description: fmt.Sprintf("with tracestate %q", state),
		check: func(s Span) (bool, string) {
			return s.TraceState == state, fmt.Sprintf("with tracestate %q", s.TraceState)
		},
	}
}

// WithEvent requires a span event with the given name.
func WithEvent(name string) Criterion {
	return Criterion{
		Description: fmt.Sprintf("with event %q", name),
		check: func(s Span) (bool, string) {
			var names []string
			for _, e := range s.Events {
				if e.Name == name {
					return true, ""
				}
				names = append(names, strconv.Quote(e.Name))
			}
			return false, "with events [" + strings.Join(names, ", ") + "]"
		},
	}
}

// WithLinkTo requires a link to the span with the given trace and span ids.
func WithLinkTo(traceID, spanID string) Criterion {
	return Criterion{
		Description: fmt.Sprintf("with a link to span %s in trace %s", spanID, traceID),
		check: func(s Span) (bool, string) {
			var to []string
			for _, l := range s.Links {
				if l.TraceID == traceID && l.SpanID == spanID {
					return true, ""
				}
				to = append(to, l.TraceID+"/"+l.SpanID)
			}
			return false, "with links to [" + strings.Join(to, ", ") + "]"
		},
	}
}

// Root requires a span without a parent: a trace that started at this span.
func Root() Criterion {
	return Criterion{
		Description: "without a parent",
		check: func(s Span) (bool, string) {
			return s.ParentSpanID == "", "child of span " + s.ParentSpanID
		},
	}
}

// WithAttribute requires a span attribute equal to value. Go ints of any size compare equal to
// OTLP's int64, so WithAttribute("http.response.status_code", 200) works.
func WithAttribute(key string, value any) Criterion {
	want := normalize(value)
	return attributeCriterion(key, fmt.Sprintf("with attribute %s=%s", key, formatValue(want)),
		func(got any, present bool) bool { return present && equalValues(got, want) })
}

// WithAttributeMatching requires a string form of the attribute to match the regular expression.
func WithAttributeMatching(key, pattern string) Criterion {
	re := regexp.MustCompile(pattern)
	return attributeCriterion(key, fmt.Sprintf("with attribute %s matching /%s/", key, pattern),
		func(got any, present bool) bool { return present && re.MatchString(fmt.Sprint(got)) })
}

// WithAttributePresent requires the attribute to be set, to any value.
func WithAttributePresent(key string) Criterion {
	return attributeCriterion(key, "with attribute "+key+" set",
		func(_ any, present bool) bool { return present })
}

// WithoutAttribute requires the attribute to be absent.
func WithoutAttribute(key string) Criterion {
	return attributeCriterion(key, "without attribute "+key,
		func(_ any, present bool) bool { return !present })
}

// WithResourceAttribute requires a resource attribute of the exporting process equal to value.
func WithResourceAttribute(key string, value any) Criterion {
	want := normalize(value)
	return Criterion{
		Description: fmt.Sprintf("with resource attribute %s=%s", key, formatValue(want)),
		check: func(s Span) (bool, string) {
			got, present := s.Resource[key]
			return present && equalValues(got, want), "with resource attribute " + describeAttribute(key, got, present)
		},
	}
}

// WithResourceAttributeMatching requires a string resource attribute matching pattern whole.
func WithResourceAttributeMatching(key string, pattern *regexp.Regexp) Criterion {
	return Criterion{
		Description: fmt.Sprintf("with resource attribute %s matching %s", key, pattern),
		check: func(s Span) (bool, string) {
			got, present := s.Resource[key]
			str, isString := got.(string)
			return isString && pattern.MatchString(str), "with resource attribute " + describeAttribute(key, got, present)
		},
	}
}

func attributeCriterion(key, description string, accept func(got any, present bool) bool) Criterion {
	return Criterion{
		Description:   description,
		AttributeKeys: []string{key},
		check: func(s Span) (bool, string) {
			got, present := s.Attributes[key]
			return accept(got, present), "with attribute " + describeAttribute(key, got, present)
		},
	}
}

func describeAttribute(key string, value any, present bool) string {
	if !present {
		return key + " absent"
	}
	return key + "=" + formatValue(value)
}

// normalize maps Go values onto the types the receiver stores, so callers may write 200, not int64(200).
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint:
		return int64(x)
	case uint32:
		return int64(x)
	case uint16:
		return int64(x)
	case uint8:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// EqualValues reports whether an attribute value equals want in value and type: Go ints equal
// OTLP's int64, but the string "200" never equals the int 200.
func EqualValues(got, want any) bool { return equalValues(got, normalize(want)) }

// FormatValue shows an attribute value as failure messages do: strings quoted, so that "200"
// and 200 read differently.
func FormatValue(v any) string { return formatValue(normalize(v)) }

func equalValues(got, want any) bool {
	return formatValue(normalize(got)) == formatValue(want) && fmt.Sprintf("%T", normalize(got)) == fmt.Sprintf("%T", want)
}

func formatValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func orNone(id string) string {
	if id == "" {
		return "(none: a root span)"
	}
	return id
}

func describeAll(criteria []Criterion) string {
	parts := make([]string, len(criteria))
	for i, c := range criteria {
		parts[i] = c.Description
	}
	if len(parts) == 0 {
		return "any span"
	}
	return strings.Join(parts, ", ")
}

// Not requires the span to fail the criterion.
func Not(c Criterion) Criterion {
	return Criterion{
		Description:   "not " + c.Description,
		AttributeKeys: c.AttributeKeys,
		check: func(s Span) (bool, string) {
			ok, _ := c.Check(s)
			return !ok, c.Description
		},
	}
}
