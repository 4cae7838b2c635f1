package spans

import (
	"fmt"
	"slices"
	"strings"
)

// keyAttributes are shown for every span in a tree: the ones gateway tracing specs most often
// disagree about. Attributes a criterion looks at are shown as well.
var keyAttributes = []string{
	"http.request.method", "url.path", "http.response.status_code", "server.address",
}

// Tree draws spans as trace trees: one line per span (kind, name, status, ids) and a line of
// its key attributes. Siblings are ordered closest match to the criteria first. Spans whose
// parent did not arrive are drawn as roots and say so.
func Tree(list List, criteria ...Criterion) string {
	byID := map[string]bool{}
	for _, s := range list {
		byID[s.SpanID] = true
	}
	children := map[string]List{}
	var roots List
	for _, s := range Closest(list, criteria...) {
		if s.ParentSpanID != "" && byID[s.ParentSpanID] {
			children[s.ParentSpanID] = append(children[s.ParentSpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	attrs := shownAttributes(criteria)
	var b strings.Builder
	for _, traceID := range traceOrder(roots) {
		fmt.Fprintf(&b, "trace %s\n", traceID)
		for _, r := range roots {
			if r.TraceID == traceID {
				writeNode(&b, r, children, attrs, criteria, "  ")
			}
		}
	}
	return b.String()
}

func writeNode(b *strings.Builder, s Span, children map[string]List, attrs []string, criteria []Criterion, indent string) {
	fmt.Fprintf(b, "%s- %s %q status=%s span=%s", indent, s.Kind, s.Name, s.Status, s.SpanID)
	if s.ParentSpanID != "" {
		fmt.Fprintf(b, " parent=%s", s.ParentSpanID)
	}
	if len(criteria) > 0 {
		fmt.Fprintf(b, " [%d/%d criteria met]", len(criteria)-len(misses(s, criteria)), len(criteria))
	}
	b.WriteString("\n")
	if s.TraceState != "" {
		fmt.Fprintf(b, "%s    tracestate=%q\n", indent, s.TraceState)
	}
	for _, e := range s.Events {
		fmt.Fprintf(b, "%s    event %q at %s\n", indent, e.Name, e.Time.Format("15:04:05.000"))
	}
	for _, l := range s.Links {
		fmt.Fprintf(b, "%s    link to span %s in trace %s\n", indent, l.SpanID, l.TraceID)
	}
	if d := s.DroppedAttributes + s.DroppedEvents + s.DroppedLinks; d > 0 {
		fmt.Fprintf(
			b,
			"%s    dropped by the exporter: %d attributes, %d events, %d links\n",
			indent,
			s.DroppedAttributes,
			s.DroppedEvents,
			s.DroppedLinks,
		)
	}
	if line := attributeLine(s, attrs); line != "" {
		fmt.Fprintf(b, "%s    %s\n", indent, line)
	}
	for _, c := range children[s.SpanID] {
		writeNode(b, c, children, attrs, criteria, indent+"  ")
	}
}

func attributeLine(s Span, keys []string) string {
	var parts []string
	for _, k := range keys {
		if v, ok := s.Attributes[k]; ok {
			parts = append(parts, k+"="+formatValue(v))
		}
	}
	return strings.Join(parts, " ")
}

func shownAttributes(criteria []Criterion) []string {
	keys := append([]string(nil), keyAttributes...)
	for _, c := range criteria {
		for _, k := range c.AttributeKeys {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// traceOrder lists trace ids in the order their first root appears.
func traceOrder(roots List) []string {
	var ids []string
	for _, r := range roots {
		if !slices.Contains(ids, r.TraceID) {
			ids = append(ids, r.TraceID)
		}
	}
	return ids
}
