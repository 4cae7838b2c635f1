package tracing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/request"
)

// contextRule is one W3C Trace Context requirement on what the upstream receives, as a Gomega
// matcher of a *request.Response whose failure names the requirement and says what was seen
// (never a bare comparison): a declared deviation quotes pieces of that. A row checks its rules
// together, as contextRules.
type contextRule struct {
	// says is the requirement, as the W3C Trace Context recommendation states it.
	says string
	// level is how strongly the recommendation asks for it (MUST where empty).
	level level
	// seen returns what breaks it, or "" when the upstream's headers meet it.
	seen func(rsp *request.Response) string
	// readsTraceParent: the rule is about the ids or flags of the upstream's traceparent, so it
	// cannot be judged when that does not parse (contextRules).
	readsTraceParent bool
	// judgesTraceParent: the rule is the one that the upstream's traceparent parses at all.
	judgesTraceParent bool
}

func (r contextRule) Match(actual any) (bool, error) { return contextRules{r}.Match(actual) }

// FailureMessage names the rule and what broke it, its one difference (difference.Note), then
// what the upstream received.
func (r contextRule) FailureMessage(actual any) string { return contextRules{r}.FailureMessage(actual) }

func (r contextRule) NegatedFailureMessage(any) string {
	return "a trace-context rule is only ever asserted to hold: " + r.says
}

// broken is the difference of a rule that what was seen breaks.
func (r contextRule) broken(seen string) difference.Difference {
	d := difference.Difference{Expected: r.says, Got: seen, Level: string(r.level.orMust())}
	d.Shown = fmt.Sprintf("Expected, by W3C trace context (%s): %s\nseen: %s", r.level.orMust(), r.says, d.Got)
	return d
}

// contextRules are a row's rules, as one matcher that judges every one of them, so that a row
// reports each rule the gateway breaks, not only the first: a declared deviation must account
// for all of them (conformOrDeviate). The rules are independent of each other but for one
// dependency: the rules that read the upstream's traceparent (continuesTrace, startsNewTrace,
// keepsSampled) are not judged when it does not parse and the rule that it parse
// (upstreamGetsValidTraceParent) is among the rules, broken: that rule reports it, and theirs
// would only repeat its parse error. forwardsTraceState is always judged.
type contextRules []contextRule

// judge returns the differences of the broken rules, in order, and what the rules not judged
// say. Where a MUST rule is not judged, the broken rule that the traceparent parse counts as a
// MUST (hidesMust), whatever its own level: a row is never advisory while a MUST it checks could
// not be judged.
func (rs contextRules) judge(rsp *request.Response) (broken []difference.Difference, unjudged []string) {
	_, unparsed := rsp.UpstreamTraceParent()
	gated := unparsed != nil && slices.ContainsFunc(rs, func(r contextRule) bool { return r.judgesTraceParent })
	hidesMust := gated && slices.ContainsFunc(rs, func(r contextRule) bool { return r.readsTraceParent && !r.level.belowMust() })
	for _, r := range rs {
		if gated && r.readsTraceParent {
			unjudged = append(unjudged, r.says)
			continue
		}
		if seen := r.seen(rsp); seen != "" {
			d := r.broken(seen)
			if r.judgesTraceParent && hidesMust {
				d = hidingMust(d)
			}
			broken = append(broken, d)
		}
	}
	return broken, unjudged
}

// hidingMust is the difference of a broken rule below MUST that leaves MUST rules unjudged: it
// counts as a MUST, and says so.
func hidingMust(d difference.Difference) difference.Difference {
	if !level(d.Level).belowMust() {
		return d
	}
	d.Shown = strings.Replace(d.Shown, "("+d.Level+")", "("+d.Level+", counted as MUST: it leaves MUST rules not judged)", 1)
	d.Level = string(must)
	return d
}

// belowMustOnly: the rules break, and every one that breaks is below MUST (judge counts a rule
// that leaves a MUST unjudged as a MUST).
func (rs contextRules) belowMustOnly(rsp *request.Response) bool {
	broken, _ := rs.judge(rsp)
	return advisory(broken)
}

func (rs contextRules) Match(actual any) (bool, error) {
	rsp, ok := actual.(*request.Response)
	if !ok {
		return false, fmt.Errorf("a trace-context rule expects a *request.Response, got %T", actual)
	}
	broken, unjudged := rs.judge(rsp)
	return len(broken) == 0 && len(unjudged) == 0, nil
}

// FailureMessage lists each broken rule and what broke it, each a difference
// (difference.Note), then the rules not judged and what the upstream received.
func (rs contextRules) FailureMessage(actual any) string {
	rsp := actual.(*request.Response)
	broken, unjudged := rs.judge(rsp)
	shown := make([]string, len(broken))
	for i, d := range broken {
		shown[i] = d.Shown
	}
	msg := strings.Join(shown, "\n")
	if len(unjudged) > 0 {
		msg += "\nNot judged without a valid traceparent at the upstream: " + strings.Join(unjudged, "; ")
	}
	return difference.Note(strings.TrimPrefix(msg, "\n")+"\n"+rsp.DescribeUpstream(), broken...)
}

func (rs contextRules) NegatedFailureMessage(any) string {
	return "trace-context rules are only ever asserted to hold"
}

var (
	_ types.GomegaMatcher = contextRule{}
	_ types.GomegaMatcher = contextRules{}
)

// upstreamGetsValidTraceParent: whatever the caller sent, the upstream gets one valid
// traceparent, the caller's continued or a new trace's.
func upstreamGetsValidTraceParent(sent []header) contextRule {
	return contextRule{
		judgesTraceParent: true,
		says: "the gateway sends the upstream one valid traceparent (the caller's trace continued, " +
			"or a new one where the caller's is invalid)",
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
		readsTraceParent: true,
		says: fmt.Sprintf("a valid traceparent is continued: the upstream's trace-id is the caller's %s and its parent-id a span "+
			"of the gateway's, not the caller's %s", caller.TraceID, caller.ParentID),
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

// startsNewTrace: an invalid traceparent is ignored as a whole, and the gateway starts a new
// trace: the upstream's trace-id is none the caller sent, in any traceparent header (the second
// of two headers as well as the first).
func startsNewTrace(caller request.TraceParent, sent []header) contextRule {
	return contextRule{
		readsTraceParent: true,
		says:             "an invalid traceparent is ignored as a whole: the gateway starts a new trace, not the caller's " + caller.TraceID,
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			if err != nil {
				return err.Error()
			}
			for i, id := range sentTraceIDs(caller, sent) {
				if tp.TraceID == id {
					return "the gateway continued the caller's trace " + id + sentFrom(i)
				}
			}
			return ""
		},
	}
}

// sentTraceIDs are the caller's trace-id, then the trace-id field of each traceparent header
// sent, in order, lower-cased.
func sentTraceIDs(caller request.TraceParent, sent []header) []string {
	ids := []string{caller.TraceID}
	for _, h := range sent {
		if fields := strings.Split(strings.Trim(h.value, " \t"), "-"); strings.EqualFold(h.name, "traceparent") && len(fields) > 1 {
			ids = append(ids, strings.ToLower(fields[1]))
		}
	}
	return ids
}

// sentFrom says which of sentTraceIDs the i-th is, past the first.
func sentFrom(i int) string {
	if i <= 1 {
		return ""
	}
	return fmt.Sprintf(", of its traceparent header %d", i)
}

// sendsVersion00: whatever version came in, the traceparent the gateway sends is built as the
// highest version it knows, 00: a future version's ids are continued, its unknown fields are
// not passed on.
func sendsVersion00() contextRule {
	return contextRule{
		readsTraceParent: true,
		says:             "the upstream's traceparent is built as version 00, the highest this specification knows, whatever version came in",
		seen: func(rsp *request.Response) string {
			rec, err := rsp.Upstream()
			if err != nil {
				return err.Error()
			}
			if got := rec.Headers.Get("traceparent"); !strings.HasPrefix(got, "00-") {
				return fmt.Sprintf("the upstream received traceparent %q, not of version 00", got)
			}
			return ""
		},
	}
}

// keepsSampled: the sampled flag goes upstream as the caller set it.
func keepsSampled(want bool) contextRule {
	return contextRule{
		readsTraceParent: true,
		level:            should,
		says:             fmt.Sprintf("the caller's sampled flag (%s) goes on to the upstream", flagWord(want)),
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

// keepsRandom: the random trace-id flag (0x02) goes on to the upstream as the caller set it, in
// the caller's trace (Level 2).
func keepsRandom(want bool) contextRule {
	return contextRule{
		readsTraceParent: true,
		says:             fmt.Sprintf("the caller's random trace-id flag (%s) goes on to the upstream with its trace-id", randomWord(want)),
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			switch {
			case err != nil:
				return err.Error()
			case tp.Random() != want:
				return fmt.Sprintf("the upstream's traceparent has the random flag %s (flags %02x)", randomWord(tp.Random()), tp.Flags)
			}
			return ""
		},
	}
}

// setsRandom: a gateway that starts a trace with random ids sets the random trace-id flag
// (Level 2: SHOULD, when at least the right-most 7 bytes of the trace-id are random).
func setsRandom() contextRule {
	return contextRule{
		readsTraceParent: true,
		level:            should,
		says:             "a trace the gateway starts with a random trace-id has the random trace-id flag set",
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			switch {
			case err != nil:
				return err.Error()
			case !tp.Random():
				return fmt.Sprintf("the upstream's traceparent has the random flag clear (flags %02x)", tp.Flags)
			}
			return ""
		},
	}
}

// reservedFlagsZero: the trace-flags bits W3C does not define go out as zero, whatever came in.
func reservedFlagsZero() contextRule {
	return contextRule{
		readsTraceParent: true,
		says:             "the trace-flags bits W3C reserves (all but sampled 01 and random 02) go out as zero",
		seen: func(rsp *request.Response) string {
			tp, err := rsp.UpstreamTraceParent()
			switch {
			case err != nil:
				return err.Error()
			case tp.Flags&^(request.FlagSampled|request.FlagRandom) != 0:
				return fmt.Sprintf("the upstream's traceparent has reserved trace-flags bits set (flags %02x)", tp.Flags)
			}
			return ""
		},
	}
}

func randomWord(set bool) string {
	if set {
		return "set"
	}
	return "clear"
}

func flagWord(sampled bool) string {
	if sampled {
		return "sampled"
	}
	return "not sampled"
}
