package tracing

import (
	"strings"

	"github.com/tracegate/tracegate/framework/request"
)

// contextVector is one W3C Trace Context case, named after the rule it checks (as the W3C
// trace-context test suite names its cases): the trace-context headers a caller sends, built
// around a fresh caller trace so that rows stay isolated, and what must come out of the gateway.
type contextVector struct {
	name    string
	headers func(caller request.TraceParent) []header
	// continues: the upstream's traceparent stays in the caller's trace; otherwise the gateway
	// must start a new trace (a valid traceparent with another trace id).
	continues bool
	// sampled, when set, is the sampled flag the upstream's traceparent must carry.
	sampled *bool
	// state is the tracestate the upstream must get, as members in order; none means none.
	state []string
	// orState are other tracestates the rule accepts instead of state, where it leaves the
	// vendor a choice.
	orState [][]string
	// verbatim: the headers go on the wire byte for byte (request.Verbatim), white space
	// around a value included.
	verbatim bool
}

// rules are the row's rules on what the upstream receives, for a caller's trace and the headers
// sent.
func (v contextVector) rules(caller request.TraceParent, sent []header) contextRules {
	rules := contextRules{upstreamGetsValidTraceParent(sent)}
	if v.continues {
		rules = append(rules, continuesTrace(caller))
	} else {
		rules = append(rules, startsNewTrace(caller))
	}
	if v.sampled != nil {
		rules = append(rules, keepsSampled(*v.sampled))
	}
	return append(rules, forwardsTraceState(v.state, v.orState...))
}

// header is one request header line, its name exactly as sent.
type header struct{ name, value string }

// traceparent renders a traceparent for the caller's ids with the given version and flags,
// and anything after (extra fields).
func traceparent(c request.TraceParent, version, flags, after string) string {
	return version + "-" + c.TraceID + "-" + c.ParentID + "-" + flags + after
}

// sent returns headers carrying one traceparent (version, flags, after) and tracestate lines.
func sent(version, flags, after string, tracestate ...string) func(request.TraceParent) []header {
	return func(c request.TraceParent) []header {
		hs := []header{{"traceparent", traceparent(c, version, flags, after)}}
		for _, ts := range tracestate {
			hs = append(hs, header{"tracestate", ts})
		}
		return hs
	}
}

// raw returns the headers a function of the caller's ids builds.
func raw(f func(c request.TraceParent) []header) func(request.TraceParent) []header { return f }

var (
	yes, no = true, false
	// members32 is a tracestate of 32 list-members, the most W3C allows.
	members32 = listMembers(32)
	members33 = listMembers(33)
	// key256 is a tracestate key of 256 characters, the longest W3C allows.
	key256 = strings.Repeat("z", 256)
)

func listMembers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "m" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + "=v"
	}
	return out
}

// contextVectors are the TraceContext feature's rows.
var contextVectors = []contextVector{
	// A valid traceparent is continued.
	{name: "version 00 with the sampled flag is continued", headers: sent("00", "01", ""), continues: true, sampled: &yes},
	{name: "version 00 without the sampled flag is continued unsampled", headers: sent("00", "00", ""), continues: true, sampled: &no},
	{name: "unknown trace-flags bits are ignored and the sampled bit kept", headers: sent("00", "09", ""), continues: true, sampled: &yes},
	{name: "a future version is parsed like version 00", headers: sent("cc", "01", ""), continues: true, sampled: &yes},
	{name: "a future version with extra fields is continued", headers: sent("cc", "01", "-what-the-future-will-be-like"), continues: true, sampled: &yes},
	// No row varies the header name's case: HTTP's own parser folds it before any tracer sees it
	// (field names are case-insensitive, RFC 9110 section 5.1; Go's server canonicalizes them,
	// Envoy lowercases them), so such a row passed on every HTTP/1.1 gateway whatever its tracer
	// did; and HTTP/2 forbids upper case in a field name outright (RFC 9113 section 8.2.1).
	{name: "optional white space around the traceparent value is ignored", continues: true, sampled: &yes, verbatim: true,
		headers: raw(func(c request.TraceParent) []header {
			return []header{{"traceparent", " \t" + traceparent(c, "00", "01", "") + "\t "}}
		})},
	// An invalid traceparent starts a new trace.
	{name: "no trace context starts a new trace", headers: raw(func(request.TraceParent) []header { return nil })},
	{name: "version ff is invalid", headers: sent("ff", "01", "")},
	{name: "version 00 with extra fields is invalid", headers: sent("00", "01", "-what-the-future-will-be-like")},
	{name: "a future version followed by a dot is invalid", headers: sent("cc", "01", ".what-the-future-will-be-like")},
	{name: "a version of three digits is invalid", headers: sent("000", "01", "")},
	{name: "an illegal character in the version is invalid", headers: sent(".0", "01", "")},
	{name: "an all-zero trace-id is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-00000000000000000000000000000000-" + c.ParentID + "-01"}}
	})},
	{name: "an all-zero parent-id is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID + "-0000000000000000-01"}}
	})},
	{name: "upper-case hex is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + strings.ToUpper(c.TraceID) + "-" + c.ParentID + "-01"}}
	})},
	{name: "a trace-id too short is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID[1:] + "-" + c.ParentID + "-01"}}
	})},
	{name: "an illegal character in the trace-id is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-." + c.TraceID[1:] + "-" + c.ParentID + "-01"}}
	})},
	{name: "a trace-id too long is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID + "0-" + c.ParentID + "-01"}}
	})},
	{name: "a parent-id too short is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID + "-" + c.ParentID[1:] + "-01"}}
	})},
	{name: "a parent-id too long is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID + "-" + c.ParentID + "0-01"}}
	})},
	{name: "an illegal character in the parent-id is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID + "-." + c.ParentID[1:] + "-01"}}
	})},
	{name: "illegal characters in the trace-flags are invalid", headers: sent("00", ".0", "")},
	{name: "trace-flags too long are invalid", headers: sent("00", "001", "")},
	{name: "trace-flags too short are invalid", headers: sent("00", "1", "")},
	{name: "a missing trace-flags field is invalid", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-" + c.TraceID + "-" + c.ParentID}}
	})},
	{name: "two traceparent headers are invalid", headers: raw(func(c request.TraceParent) []header {
		other := request.NewTraceParent(true)
		return []header{{"traceparent", traceparent(c, "00", "01", "")}, {"traceparent", traceparent(other, "00", "01", "")}}
	})},
	{name: "a misspelt header name is not a traceparent", headers: raw(func(c request.TraceParent) []header {
		return []header{{"trace-parent", traceparent(c, "00", "01", "")}}
	})},
	// tracestate goes with a valid traceparent, unchanged, or not at all.
	{name: "a tracestate of one member is forwarded unchanged", headers: sent("00", "01", "", "foo=1"), continues: true, state: []string{"foo=1"}},
	{name: "a tracestate of 32 members is forwarded whole", headers: sent("00", "01", "", strings.Join(members32, ",")), continues: true, state: members32},
	{name: "tracestate headers are combined in order", headers: sent("00", "01", "", "foo=1,bar=2", "rojo=1,congo=2", "baz=3"), continues: true,
		state: []string{"foo=1", "bar=2", "rojo=1", "congo=2", "baz=3"}},
	{name: "whitespace around tracestate members is allowed", headers: sent("00", "01", "", "foo=1 \t , \t bar=2"), continues: true, state: []string{"foo=1", "bar=2"}},
	{name: "an empty tracestate is accepted and nothing forwarded", headers: sent("00", "01", "", ""), continues: true},
	{name: "a tracestate key of 256 characters is allowed", headers: sent("00", "01", "", "foo=1,"+key256+"=1"), continues: true, state: []string{"foo=1", key256 + "=1"}},
	{name: "a tracestate key of 257 characters is discarded", headers: sent("00", "01", "", "foo=1,"+key256+"z=1"), continues: true},
	{name: "a tracestate value containing = is discarded", headers: sent("00", "01", "", "foo=bar=baz"), continues: true},
	{name: "an empty tracestate value is discarded", headers: sent("00", "01", "", "foo=,bar=3"), continues: true},
	{name: "a tracestate of 33 members is discarded", headers: sent("00", "01", "", strings.Join(members33, ",")), continues: true},
	{name: "a tracestate with an upper-case key is discarded", headers: sent("00", "01", "", "FOO=1"), continues: true},
	// W3C lets a vendor discard duplicate keys (or keep them); the test suite's strict level
	// wants the tracestate inherited with foo=1 or foo=2 in it, not discarded.
	{name: "a tracestate with a duplicated key keeps one or both of its members", headers: sent("00", "01", "", "foo=1,foo=2"), continues: true,
		state: []string{"foo=1", "foo=2"}, orState: [][]string{{"foo=1"}, {"foo=2"}}},
	{name: "a tracestate without a valid traceparent is not forwarded", headers: raw(func(c request.TraceParent) []header {
		return []header{{"traceparent", "00-00000000000000000000000000000000-" + c.ParentID + "-01"}, {"tracestate", "foo=1"}}
	})},
}
