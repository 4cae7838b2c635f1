package spans

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
)

// HaveOneSpanOf succeeds when exactly one received span meets identify (such as "the SERVER
// span, child of the caller") and that span also meets check. Where one request must give one
// span of a role, a second one is a failure even when one of the two is right: a gateway that
// emits a wrong span beside a right one does not pass. Its failure shows every span meeting
// identify, and the whole tree; with none or one such span it fails as HaveSpanOf does.
func HaveOneSpanOf(identify []Criterion, check ...Criterion) types.GomegaMatcher {
	return &oneSpanMatcher{identify: identify, of: HaveSpanOf(identify, check...)}
}

type oneSpanMatcher struct {
	identify []Criterion
	of       types.GomegaMatcher
}

func (m *oneSpanMatcher) Match(actual any) (bool, error) {
	rcv, err := asReceived(actual)
	if err != nil {
		return false, err
	}
	if len(Matching(rcv.Spans, m.identify...)) > 1 {
		return false, nil
	}
	return m.of.Match(actual)
}

func (m *oneSpanMatcher) FailureMessage(actual any) string {
	rcv, _ := asReceived(actual)
	found := Matching(rcv.Spans, m.identify...)
	if len(found) <= 1 {
		return m.of.FailureMessage(actual)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Expected one span %s, but got %d:\n", describeAll(m.identify), len(found))
	for _, s := range found {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	writeReceived(&b, rcv, m.identify, nil)
	return difference.Note(b.String(), difference.Difference{
		Expected: "one span " + describeAll(m.identify),
		Got:      fmt.Sprintf("%d such spans", len(found)),
	})
}

func (m *oneSpanMatcher) NegatedFailureMessage(actual any) string {
	return "Expected not to find exactly one matching span, but did:\n" + m.of.NegatedFailureMessage(actual)
}

// Outside returns the spans of list that do not descend from any of the span ids in parents
// (children, grandchildren, ...), in arrival order: a request's spans without those a gateway
// opened for its earlier attempts, each under a parent-id of its own (request.Attempt.ParentID).
func Outside(list List, parents ...string) List {
	if len(parents) == 0 {
		return list
	}
	byID := map[string]Span{}
	for _, s := range list {
		byID[s.SpanID] = s
	}
	excluded := map[string]bool{}
	for _, p := range parents {
		excluded[p] = true
	}
	var out List
	for _, s := range list {
		under, seen := false, map[string]bool{}
		for cur := s; cur.ParentSpanID != "" && !seen[cur.SpanID]; {
			seen[cur.SpanID] = true
			if excluded[cur.ParentSpanID] {
				under = true
				break
			}
			parent, ok := byID[cur.ParentSpanID]
			if !ok {
				break
			}
			cur = parent
		}
		if !under {
			out = append(out, s)
		}
	}
	return out
}
