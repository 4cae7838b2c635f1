package request

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/config"
)

// HaveStatus succeeds when the request got a response with the status code. On failure it
// shows every attempt, so a timeout is never confused with a wrong status.
func HaveStatus(code int) types.GomegaMatcher { return statusMatcher{code} }

type statusMatcher struct{ want int }

func (m statusMatcher) Match(actual any) (bool, error) {
	r, ok := actual.(*Response)
	if !ok {
		return false, fmt.Errorf("HaveStatus expects a *request.Response, got %T", actual)
	}
	return r.Err == nil && r.Status == m.want, nil
}

func (m statusMatcher) FailureMessage(actual any) string {
	r := actual.(*Response)
	if r.Err != nil {
		return fmt.Sprintf("Expected status %d, got no response after %d attempt(s):\n%s", m.want, len(r.Attempts), r.Describe())
	}
	return fmt.Sprintf("Expected status %d, got %d:\n%s", m.want, r.Status, r.Describe())
}

func (m statusMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("Expected a status other than %d:\n%s", m.want, actual.(*Response).Describe())
}

// AwaitConsistent sends the request until it answers wantStatus on the policy's number of
// consecutive attempts in a row, within the named wait. It is for routes that converge (a new
// HTTPRoute, a gateway that just started): one success can come from a stale config.
func (c *Client) AwaitConsistent(ctx context.Context, wait config.Wait, wantStatus int, opts ...Option) error {
	ctx, cancel := context.WithTimeout(ctx, wait.Timeout)
	defer cancel()
	need := c.policy.ConsecutiveSuccesses
	streak := 0
	var last *Response
	for {
		last = c.Send(ctx, opts...)
		if last.Err == nil && last.Status == wantStatus {
			streak++
			if streak >= need {
				return nil
			}
		} else {
			streak = 0
		}
		if err := sleep(ctx, wait.Polling); err != nil {
			return fmt.Errorf("expected %d consecutive responses with status %d within %s; the streak reached %d, last:\n%s",
				need, wantStatus, wait.Timeout, streak, last.Describe())
		}
	}
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
	msg := fmt.Sprintf("Expected the upstream to receive a valid traceparent header from the gateway, but %v\n", err)
	if rec, recErr := r.Upstream(); recErr == nil {
		msg += fmt.Sprintf("Received by the upstream: %s %s host=%q\n", rec.Method, rec.Path, rec.Host)
		for _, k := range slices.Sorted(maps.Keys(rec.Headers)) {
			msg += fmt.Sprintf("  %s: %s\n", k, strings.Join(rec.Headers[k], ", "))
		}
	}
	return msg + r.Describe()
}

func (upstreamTraceParentMatcher) NegatedFailureMessage(actual any) string {
	return "Expected the upstream to receive no traceparent header, but it did:\n" + actual.(*Response).Describe()
}
