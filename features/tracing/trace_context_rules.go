package tracing

import (
	"fmt"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/request"
)

// contextRule is one W3C Trace Context requirement on what the upstream receives, as a Gomega
// matcher of a *request.Response whose failure names the requirement and says what was seen
// (never a bare comparison): a declared deviation quotes pieces of that.
type contextRule struct {
	// says is the requirement, as the W3C Trace Context recommendation states it.
	says string
	// seen returns what breaks it, or "" when the upstream's headers meet it.
	seen func(rsp *request.Response) string
}

func (r contextRule) Match(actual any) (bool, error) {
	rsp, ok := actual.(*request.Response)
	if !ok {
		return false, fmt.Errorf("a trace-context rule expects a *request.Response, got %T", actual)
	}
	return r.seen(rsp) == "", nil
}

// FailureMessage names the rule and what broke it, its one difference (difference.Note), then
// what the upstream received.
func (r contextRule) FailureMessage(actual any) string {
	rsp := actual.(*request.Response)
	broken := difference.Difference{Expected: r.says, Got: r.seen(rsp)}
	broken.Shown = fmt.Sprintf("Expected, by W3C trace context: %s\nseen: %s", broken.Expected, broken.Got)
	return difference.Note(broken.Shown+"\n"+rsp.DescribeUpstream(), broken)
}

func (r contextRule) NegatedFailureMessage(any) string {
	return "a trace-context rule is only ever asserted to hold: " + r.says
}

var _ types.GomegaMatcher = contextRule{}

// upstreamGetsValidTraceParent: whatever the caller sent, the upstream gets one valid
// traceparent, the caller's continued or a new trace's.
func upstreamGetsValidTraceParent(sent []header) contextRule {
	return contextRule{
		says: "the gateway sends the upstream one valid traceparent (the caller's trace continued, or a new one where the caller's is invalid)",
		seen: func(rsp *request.Response) string {
			rec, err := rsp.Upstream()
			if err != nil {
				return err.Error()
			}
			got := rec.Headers.Values("traceparent")
			switch {
			case len(got) == 0:
				return "the upstream received no traceparent"
			case len(got) > 1:
				return fmt.Sprintf("the upstream received %d traceparent headers %q", len(got), got)
			}
			if _, err := request.ParseTraceParent(got[0]); err == nil {
				return ""
			}
			for _, h := range sent {
				if strings.EqualFold(h.name, "traceparent") && strings.Trim(h.value, " \t") == got[0] {
					return fmt.Sprintf("the upstream received the caller's invalid traceparent unchanged: %q", got[0])
				}
			}
			_, err = request.ParseTraceParent(got[0])
			return "the upstream received an invalid traceparent: " + err.Error()
		},
	}
}

// continuesTrace: a valid traceparent is continued, with the gateway's span as the upstream's parent.
func continuesTrace(caller request.TraceParent) contextRule {
	return contextRule{
		says: fmt.Sprintf("a valid traceparent is continued: the upstream's trace-id is the caller's %s and its parent-id a span of the gateway's, not the caller's %s", caller.TraceID, caller.ParentID),
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			switch {
			case err != nil:
				return err.Error()
			case tp.TraceID != caller.TraceID:
				return "the gateway started a new trace, " + tp.TraceID
			case tp.ParentID == caller.ParentID:
				return "the upstream's parent is the caller's span"
			}
			return ""
		},
	}
}

// startsNewTrace: an invalid traceparent is ignored whole, and the gateway starts a new trace.
func startsNewTrace(caller request.TraceParent) contextRule {
	return contextRule{
		says: "an invalid traceparent is ignored as a whole: the gateway starts a new trace, not the caller's " + caller.TraceID,
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			switch {
			case err != nil:
				return err.Error()
			case tp.TraceID == caller.TraceID:
				return "the gateway continued the caller's trace " + caller.TraceID
			}
			return ""
		},
	}
}

// keepsSampled: the sampled flag goes upstream as the caller set it.
func keepsSampled(want bool) contextRule {
	return contextRule{
		says: fmt.Sprintf("the caller's sampled flag (%s) goes on to the upstream", flagWord(want)),
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			switch {
			case err != nil:
				return err.Error()
			case tp.Sampled != want:
				return "the upstream's traceparent is " + flagWord(tp.Sampled)
			}
			return ""
		},
	}
}

func flagWord(sampled bool) string {
	if sampled {
		return "sampled"
	}
	return "not sampled"
}

// forwardsTraceState: a valid tracestate goes on unchanged (its header lines combined in order,
// the white space around members dropped); an invalid one, or one without a valid traceparent,
// is discarded (an empty tracestate counts as none). Where the rule leaves a choice, any of
// alternatives is accepted too.
func forwardsTraceState(want []string, alternatives ...[]string) contextRule {
	says := "an invalid tracestate, or one without a valid traceparent, is discarded: the upstream receives no tracestate"
	if len(want) > 0 {
		says = fmt.Sprintf("a valid tracestate goes on unchanged: the upstream receives tracestate %q", strings.Join(want, ","))
	}
	for _, alt := range alternatives {
		says += fmt.Sprintf(", or %q", strings.Join(alt, ","))
	}
	return contextRule{
		says: says,
		seen: func(rsp *request.Response) string {
			rec, err := rsp.Upstream()
			if err != nil {
				return err.Error()
			}
			got := rec.Headers.Values("tracestate")
			for _, accepted := range append([][]string{want}, alternatives...) {
				if request.TraceStateMembersEqual(got, accepted) {
					return ""
				}
			}
			if len(got) == 0 {
				return "the upstream received no tracestate"
			}
			return fmt.Sprintf("the upstream received tracestate %q", got)
		},
	}
}
