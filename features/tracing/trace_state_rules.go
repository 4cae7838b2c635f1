package tracing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/request"
)

// The tracestate rules judge what the upstream received by what W3C allows a vendor to do, not
// by equality: its tracer may add list-members of its own on the left (keys none of the caller's
// members has, no key twice, the right-most members dropped past 32), and, past 512 characters,
// truncate whole members (truncatesWholeMembers, truncatesLongFirst).

// members combines tracestate header lines into their list-members, in order, the white space
// around each and the empty ones dropped.
func members(lines []string) []string {
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

func key(member string) string { k, _, _ := strings.Cut(member, "="); return k }

// sentState are the list-members of every header the caller sent under a tracestate-like name
// (tracestate, trace-state, trace.state, in any case): what must not reach the upstream's
// tracestate where the row discards it.
func sentState(sent []header) []string {
	var lines []string
	for _, h := range sent {
		if strings.NewReplacer("-", "", ".", "").Replace(strings.ToLower(h.name)) == "tracestate" {
			lines = append(lines, h.value)
		}
	}
	return members(lines)
}

// ownOnLeft splits got into the members a tracer added on the left (keys none of sent has) and
// the rest: the caller's, as far as a rule is concerned.
func ownOnLeft(got, sent []string) (own, rest []string) {
	keys := map[string]bool{}
	for _, m := range sent {
		keys[key(m)] = true
	}
	i := 0
	for i < len(got) && !keys[key(got[i])] && !slices.Contains(sent, got[i]) {
		i++
	}
	return got[:i], got[i:]
}

// distinctKeys reports whether no key is twice among ms.
func distinctKeys(ms []string) bool {
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[key(m)] {
			return false
		}
		seen[key(m)] = true
	}
	return true
}

// keeps reports whether got is accepted, as sent, after members of the tracer's own on the left:
// the caller's members all there, in order, or the right-most dropped to keep 32.
func keeps(got, accepted, sent []string) bool {
	own, rest := ownOnLeft(got, sent)
	switch {
	case !distinctKeys(own) || len(got) > 32:
		return false
	case slices.Equal(rest, accepted):
		return true
	}
	return len(own) > 0 && len(got) == 32 && len(rest) < len(accepted) && slices.Equal(rest, accepted[:len(rest)])
}

// upstreamState is the upstream's tracestate list-members, or what keeps it from being read.
func upstreamState(rsp *request.Response) ([]string, []string, string) {
	rec, err := rsp.Upstream()
	if err != nil {
		return nil, nil, err.Error()
	}
	lines := rec.Headers.Values("tracestate")
	return lines, members(lines), ""
}

func receivedState(lines []string) string {
	if len(members(lines)) == 0 {
		return "the upstream received no tracestate"
	}
	return fmt.Sprintf("the upstream received tracestate %q", lines)
}

// forwardsTraceState: a valid tracestate goes on (its header lines combined in order, the white
// space around members and the empty members dropped), after any members the gateway's tracer
// adds on the left; an invalid one, or one without a valid traceparent, is discarded: none of the
// caller's members (sent) reaches the upstream. Where the rule leaves a choice, any of
// alternatives is accepted too.
func forwardsTraceState(sent, want []string, alternatives ...[]string) contextRule {
	says := "an invalid tracestate, or one without a valid traceparent, is discarded: " +
		"the upstream receives none of the caller's tracestate members"
	if len(want) > 0 {
		says = fmt.Sprintf("a valid tracestate goes on unchanged: the upstream receives tracestate %q", strings.Join(want, ","))
	}
	for _, alt := range alternatives {
		says += fmt.Sprintf(", or %q", strings.Join(alt, ","))
	}
	says += " (after list-members the gateway's tracer may add on the left)"
	return contextRule{
		says: says,
		seen: func(rsp *request.Response) string {
			lines, got, err := upstreamState(rsp)
			if err != "" {
				return err
			}
			for _, accepted := range append([][]string{want}, alternatives...) {
				if keeps(got, accepted, sent) {
					return ""
				}
			}
			return receivedState(lines)
		},
	}
}

// truncatesWholeMembers: a tracestate too long to pass on whole loses whole members: every member
// the upstream receives after the tracer's own is one the caller sent, in the caller's order.
func truncatesWholeMembers(sent []string) contextRule {
	return contextRule{
		says: "a tracestate truncated for its length loses whole list-members: the upstream receives the caller's members, in order, " +
			"or some of them",
		seen: func(rsp *request.Response) string {
			lines, got, err := upstreamState(rsp)
			if err != "" {
				return err
			}
			_, rest := ownOnLeft(got, sent)
			if kept := keptOf(rest, sent); kept == nil {
				return receivedState(lines) + ", not whole members of the caller's in order"
			}
			return ""
		},
	}
}

// truncatesLongFirst: truncation drops the members over 128 characters first, then from the
// right.
func truncatesLongFirst(sent []string) contextRule {
	return contextRule{
		level: should,
		says:  "a tracestate truncated for its length loses its list-members over 128 characters first, then members from the right",
		seen: func(rsp *request.Response) string {
			lines, got, err := upstreamState(rsp)
			if err != "" {
				return err
			}
			_, rest := ownOnLeft(got, sent)
			kept := keptOf(rest, sent)
			if kept == nil {
				return "" // truncatesWholeMembers says so
			}
			var short, keptShort, longKept []string
			for i, m := range sent {
				switch {
				case len(m) <= 128:
					short = append(short, m)
					if kept[i] {
						keptShort = append(keptShort, m)
					}
				case kept[i]:
					longKept = append(longKept, m)
				}
			}
			switch {
			case len(keptShort) < len(short) && len(longKept) > 0:
				return receivedState(lines) + fmt.Sprintf(": members of 128 characters or fewer dropped while %d longer kept", len(longKept))
			case !slices.Equal(keptShort, short[:len(keptShort)]):
				return receivedState(lines) + ": members dropped other than from the right"
			}
			return ""
		},
	}
}

// keptOf marks which of sent are in rest, rest being a subsequence of sent; nil when it is not.
func keptOf(rest, sent []string) []bool {
	kept := make([]bool, len(sent))
	j := 0
	for i, m := range sent {
		if j < len(rest) && rest[j] == m {
			kept[i] = true
			j++
		}
	}
	if j < len(rest) {
		return nil
	}
	return kept
}
