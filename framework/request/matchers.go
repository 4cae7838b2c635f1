package request

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/wait"
)

// HaveStatus succeeds when the request got a response with the status code. On failure it
// shows every attempt, so a timeout is never confused with a wrong status.
func HaveStatus(code int) types.GomegaMatcher {
	return statusMatcher{fmt.Sprint(code), func(got int) bool { return got == code }}
}

// HaveStatusClass succeeds when the request got a response in the class, such as 5 for any
// 5xx: for answers a gateway chooses itself (502 or 503 for an upstream that refuses).
func HaveStatusClass(class int) types.GomegaMatcher {
	return statusMatcher{fmt.Sprintf("%dxx", class), func(got int) bool { return got/100 == class }}
}

type statusMatcher struct {
	want   string
	accept func(int) bool
}

func (m statusMatcher) Match(actual any) (bool, error) {
	r, ok := actual.(*Response)
	if !ok {
		return false, fmt.Errorf("HaveStatus expects a *request.Response, got %T", actual)
	}
	return r.Err == nil && m.accept(r.Status), nil
}

func (m statusMatcher) FailureMessage(actual any) string {
	r := actual.(*Response)
	if r.Err != nil {
		return fmt.Sprintf("Expected status %s, got no response after %d attempt(s):\n%s", m.want, len(r.Attempts), r.Describe())
	}
	return fmt.Sprintf("Expected status %s, got %d:\n%s", m.want, r.Status, r.Describe())
}

func (m statusMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("Expected a status other than %s:\n%s", m.want, actual.(*Response).Describe())
}

// AwaitConsistent sends the request until it answers wantStatus on the policy's number of
// consecutive attempts in a row, within the named wait. It is for routes that converge (a new
// HTTPRoute, a gateway that just started): one success can come from a stale config.
func (c *Client) AwaitConsistent(ctx context.Context, w config.Wait, wantStatus int, opts ...Option) error {
	need, streak := c.policy.ConsecutiveSuccesses, 0
	what := fmt.Sprintf("%d consecutive responses with status %d", need, wantStatus)
	return wait.For(ctx, w, what, func(ctx context.Context) (bool, string, error) {
		rsp := c.Send(ctx, opts...)
		if rsp.Err == nil && rsp.Status == wantStatus {
			streak++
		} else {
			streak = 0
		}
		return streak >= need, fmt.Sprintf("a streak of %d, then:\n%s", streak, rsp.Describe()), nil
	})
}

// HaveUpstreamTraceParent succeeds when the upstream received a valid traceparent from the
// gateway. On failure it lists the headers the upstream did receive.
func HaveUpstreamTraceParent() types.GomegaMatcher { return upstreamTraceParentMatcher{} }

type upstreamTraceParentMatcher struct{}

func (upstreamTraceParentMatcher) Match(actual any) (bool, error) {
	r, ok := actual.(*Response)
	if !ok {
		return false, fmt.Errorf("HaveUpstreamTraceParent expects a *request.Response, got %T", actual)
	}
	_, err := r.UpstreamTraceParent()
	return err == nil, nil
}

func (upstreamTraceParentMatcher) FailureMessage(actual any) string {
	r := actual.(*Response)
	_, err := r.UpstreamTraceParent()
	return fmt.Sprintf("Expected the upstream to receive a valid traceparent header from the gateway, but %v\n", err) + upstreamReceived(r)
}

// DescribeUpstream lists what the upstream received, then the request's attempts: for failure
// messages about what the gateway forwarded.
func (r *Response) DescribeUpstream() string { return upstreamReceived(r) }

// upstreamReceived lists what the upstream received, then the request's attempts.
func upstreamReceived(r *Response) string {
	var b strings.Builder
	if rec, err := r.Upstream(); err == nil {
		fmt.Fprintf(&b, "Received by the upstream: %s %s host=%q\n", rec.Method, rec.Path, rec.Host)
		for _, k := range slices.Sorted(maps.Keys(rec.Headers)) {
			fmt.Fprintf(&b, "  %s: %s\n", k, strings.Join(rec.Headers[k], ", "))
		}
	}
	return b.String() + r.Describe()
}

// HaveUpstreamHeader succeeds when the upstream received the header with exactly these values,
// in this order (one value for a header sent once). On failure it lists every header the
// upstream received.
func HaveUpstreamHeader(name string, values ...string) types.GomegaMatcher {
	return upstreamHeaderMatcher{name: name, want: values}
}

type upstreamHeaderMatcher struct {
	name string
	want []string
}

func (m upstreamHeaderMatcher) Match(actual any) (bool, error) {
	r, ok := actual.(*Response)
	if !ok {
		return false, fmt.Errorf("HaveUpstreamHeader expects a *request.Response, got %T", actual)
	}
	rec, err := r.Upstream()
	return err == nil && slices.Equal(rec.Headers.Values(m.name), m.want), nil
}

func (m upstreamHeaderMatcher) FailureMessage(actual any) string {
	r := actual.(*Response)
	got := "no such header"
	if rec, err := r.Upstream(); err == nil && len(rec.Headers.Values(m.name)) > 0 {
		got = fmt.Sprintf("%q", rec.Headers.Values(m.name))
	}
	return fmt.Sprintf("Expected the upstream to receive %s: %q\ngot %s\n", m.name, m.want, got) + upstreamReceived(r)
}

func (m upstreamHeaderMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("Expected the upstream not to receive %s: %q, but it did:\n", m.name, m.want) + upstreamReceived(actual.(*Response))
}

func (upstreamTraceParentMatcher) NegatedFailureMessage(actual any) string {
	return "Expected the upstream to receive no traceparent header, but it did:\n" + actual.(*Response).Describe()
}

// HaveUpstreamTraceState succeeds when the tracestate the upstream received, its header lines
// combined and the whitespace around members dropped, is exactly these list-members in this
// order; with none, when it received no tracestate (or an empty one).
func HaveUpstreamTraceState(members ...string) types.GomegaMatcher {
	return upstreamTraceStateMatcher{want: members}
}

type upstreamTraceStateMatcher struct{ want []string }

// TraceStateMembersEqual reports whether tracestate header lines, combined in order and with
// the white space around members dropped, are exactly these list-members (none: no tracestate,
// or an empty one).
func TraceStateMembersEqual(lines, members []string) bool {
	return slices.Equal(traceStateMembers(lines), members)
}

// traceStateMembers combines tracestate header lines into their list-members.
func traceStateMembers(lines []string) []string {
	var out []string
	for _, line := range lines {
		for m := range strings.SplitSeq(line, ",") {
			if m = strings.Trim(m, " \t"); m != "" {
				out = append(out, m)
			}
		}
	}
	return out
}

func (m upstreamTraceStateMatcher) Match(actual any) (bool, error) {
	r, ok := actual.(*Response)
	if !ok {
		return false, fmt.Errorf("HaveUpstreamTraceState expects a *request.Response, got %T", actual)
	}
	rec, err := r.Upstream()
	return err == nil && slices.Equal(traceStateMembers(rec.Headers.Values("tracestate")), m.want), nil
}

func (m upstreamTraceStateMatcher) FailureMessage(actual any) string {
	r := actual.(*Response)
	got := "nothing"
	if rec, err := r.Upstream(); err == nil && len(rec.Headers.Values("tracestate")) > 0 {
		got = fmt.Sprintf("%q", rec.Headers.Values("tracestate"))
	}
	want := "no tracestate"
	if len(m.want) > 0 {
		want = fmt.Sprintf("tracestate %q", strings.Join(m.want, ","))
	}
	return fmt.Sprintf("Expected the upstream to receive %s\ngot %s\n", want, got) + upstreamReceived(r)
}

func (m upstreamTraceStateMatcher) NegatedFailureMessage(actual any) string {
	return "Expected the upstream's tracestate to differ, but it did not:\n" + upstreamReceived(actual.(*Response))
}
