package spans

import (
	"fmt"
	"sort"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
)

// HaveSpan succeeds when at least one received span meets every criterion. Its actual value is
// a Received (what Of returns) or a List. On failure it states the expectation, names the closest
// span and what differs, and draws every span received as a tree. The differences it lists are
// noted (difference.Note): the closest span's, or that no span arrived.
func HaveSpan(criteria ...Criterion) types.GomegaMatcher {
	return &spanMatcher{criteria: criteria, want: true}
}

// HaveSpanOf succeeds when a received span meeting identify (such as its kind) also meets check.
// Its failure is HaveSpan's, with the closest span chosen among those meeting identify: the
// differences are those of the span the check is about, never of another kind of span that
// happens to miss as few criteria.
func HaveSpanOf(identify []Criterion, check ...Criterion) types.GomegaMatcher {
	return &spanMatcher{criteria: append(append([]Criterion(nil), identify...), check...), among: identify, want: true}
}

// HaveNoSpan succeeds when no received span meets every criterion. Pair it with Consistently
// over a named window, and only after proving that spans do flow (see the Sampling feature).
func HaveNoSpan(criteria ...Criterion) types.GomegaMatcher {
	return &spanMatcher{criteria: criteria, want: false}
}

type spanMatcher struct {
	criteria []Criterion
	// among, if set, are the criteria of the spans the closest span is chosen from.
	among []Criterion
	want  bool
}

func (m *spanMatcher) Match(actual any) (bool, error) {
	rcv, err := asReceived(actual)
	if err != nil {
		return false, err
	}
	found := len(Matching(rcv.Spans, m.criteria...)) > 0
	return found == m.want, nil
}

func (m *spanMatcher) FailureMessage(actual any) string { return m.message(actual, m.want) }

func (m *spanMatcher) NegatedFailureMessage(actual any) string { return m.message(actual, !m.want) }

// message explains a failure to find a span (wantSpan) or to see none, and notes the
// differences it lists.
func (m *spanMatcher) message(actual any, wantSpan bool) string {
	rcv, _ := asReceived(actual)
	var b strings.Builder
	if !wantSpan {
		if len(m.criteria) == 0 {
			b.WriteString("Expected no span at all, but got:\n")
		} else {
			fmt.Fprintf(&b, "Expected no span %s, but got:\n", describeAll(m.criteria))
		}
		found := Matching(rcv.Spans, m.criteria...)
		for _, s := range found {
			fmt.Fprintf(&b, "  %s\n", s)
		}
		writeReceived(&b, rcv, m.criteria, nil)
		return difference.Note(b.String(), difference.Difference{
			Expected: "no span " + describeAll(m.criteria),
			Got:      fmt.Sprintf("%d such span(s)", len(found)),
		})
	}
	fmt.Fprintf(&b, "Expected a span %s\n", describeAll(m.criteria))
	if len(rcv.Spans) == 0 {
		writeReceived(&b, rcv, m.criteria, nil)
		return difference.Note(b.String(), difference.Difference{Expected: "a span " + describeAll(m.criteria), Got: "no span"})
	}
	closest := m.closest(rcv.Spans)
	writeReceived(&b, rcv, m.criteria, &closest)
	var list []difference.Difference
	for _, ms := range misses(closest, m.criteria) {
		list = append(list, difference.Difference{Expected: ms.criterion.Description, Got: ms.got})
	}
	return difference.Note(b.String(), list...)
}

// closest is the span closest to the criteria, among those meeting m.among when any does.
func (m *spanMatcher) closest(list List) Span {
	if candidates := Matching(list, m.among...); len(candidates) > 0 {
		list = candidates
	}
	return Closest(list, m.criteria...)[0]
}

// Matching returns the spans that meet every criterion, in arrival order.
func Matching(list List, criteria ...Criterion) List {
	var out List
	for _, s := range list {
		if misses(s, criteria) == nil {
			out = append(out, s)
		}
	}
	return out
}

// miss is one criterion a span failed, with what the span had instead.
type miss struct {
	criterion Criterion
	got       string
}

func misses(s Span, criteria []Criterion) []miss {
	var out []miss
	for _, c := range criteria {
		if ok, got := c.Check(s); !ok {
			out = append(out, miss{c, got})
		}
	}
	return out
}

// Closest orders spans by how few criteria they miss, fewest first; ties keep arrival order.
func Closest(list List, criteria ...Criterion) List {
	out := append(List(nil), list...)
	sort.SliceStable(out, func(i, j int) bool {
		return len(misses(out[i], criteria)) < len(misses(out[j], criteria))
	})
	return out
}

// writeReceived says what was received and draws it as a tree; closest, when set, is the span
// named with each difference from the criteria.
func writeReceived(b *strings.Builder, rcv Received, criteria []Criterion, closest *Span) {
	query := rcv.Query
	if query == "" {
		query = "trace " + orUnknown(rcv.TraceID)
	}
	fmt.Fprintf(b, "Received %d span(s) for %s", len(rcv.Spans), query)
	if rcv.Dropped > 0 {
		fmt.Fprintf(b, "; the receiver dropped %d span(s) because its store was full", rcv.Dropped)
	}
	b.WriteString(".\n")
	if len(rcv.Spans) == 0 {
		b.WriteString("No span arrived: check that the gateway exports to the suite's receiver and that the trace was sampled.\n")
		return
	}
	if closest != nil {
		fmt.Fprintf(b, "Closest span: %s\n", *closest)
		for _, m := range misses(*closest, criteria) {
			fmt.Fprintf(b, "  expected %s, got %s\n", m.criterion.Description, m.got)
		}
	}
	b.WriteString("Spans received, as a tree (closest match first):\n")
	b.WriteString(Tree(rcv.Spans, criteria...))
}

func asReceived(actual any) (Received, error) {
	switch v := actual.(type) {
	case Received:
		return v, nil
	case List:
		return Received{Spans: v}, nil
	case []Span:
		return Received{Spans: v}, nil
	}
	return Received{}, fmt.Errorf("span matchers expect spans.Received or spans.List, got %T", actual)
}

func orUnknown(traceID string) string {
	if traceID == "" {
		return "(unknown)"
	}
	return traceID
}
