package tracing

import (
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/request"
)

// contextVector is one W3C Trace Context case, named after the rule it checks (as the W3C
// trace-context test suite names its cases): the trace-context headers a caller sends, built
// around a fresh caller trace so that rows stay isolated, and what must come out of the gateway.
type contextVector struct {
	// id is the row's stable ID: what a profile's deviations and a skip list name, and what
	// reports key it by; name may be reworded, id may not (ids.txt).
	id      string
	name    string
	headers func(caller request.TraceParent) []header
	// continues: the upstream's traceparent stays in the caller's trace; otherwise the gateway
	// must start a new trace (a valid traceparent with another trace id).
	continues bool
	// sampled, when set, is the sampled flag the upstream's traceparent must carry; random, the
	// random trace-id flag.
	sampled, random *bool
	// randomNew: the gateway starts the trace with random ids, so it sets the random flag.
	randomNew bool
	// truncation: the tracestate is longer than a vendor owes to pass on whole (512 characters); the rules are those of truncation
	// (truncatesWholeMembers, truncatesLongFirst), not state's.
	truncation bool
	// spanState: the gateway's span in the caller's trace carries the tracestate that went
	// upstream.
	spanState bool
	// state is the tracestate the upstream must get, as members in order; none means none.
	state []string
	// orState are other tracestates the rule accepts instead of state, where it leaves the
	// vendor a choice.
	orState [][]string
	// verbatim: the headers go on the wire byte for byte (request.Verbatim), white space
	// around a value included.
	verbatim bool
	// level is the level of the row's own rule (MUST where empty): its rule on the trace (continued
	// or new) for a traceparent row, its tracestate rule for a tracestate row (aboutState). The
	// row's other rules have their own levels.
	level level
	// aboutState: the row is one of traceStateVectors.
	aboutState bool
	// w3c names the tests of the W3C trace-context harness (test/test.py, w3c_harness.yaml)
	// that the row covers, in whole or with other rows.
	w3c []string
}

// rules are the row's rules on what the upstream receives, for a caller's trace and the headers
// sent.
func (v contextVector) rules(caller request.TraceParent, sent []header) contextRules {
	traceLevel, stateLevel := v.level.orMust(), must
	if v.aboutState {
		traceLevel, stateLevel = must, v.level.orMust()
	}
	var rules contextRules
	if v.continues {
		// A vendor receiving a traceparent MUST send it on; one receiving none (or an invalid
		// one, which it ignores) SHOULD generate one.
		rules = contextRules{upstreamGetsValidTraceParent(sent).at(must), continuesTrace(caller).at(traceLevel)}
	} else {
		rules = contextRules{upstreamGetsValidTraceParent(sent).at(should), startsNewTrace(caller, sent).at(traceLevel)}
	}
	rules = append(rules, sendsVersion00(), reservedFlagsZero())
	if v.sampled != nil {
		rules = append(rules, keepsSampled(*v.sampled))
	}
	if v.random != nil {
		rules = append(rules, keepsRandom(*v.random))
	}
	if v.randomNew {
		rules = append(rules, setsRandom())
	}
	if v.truncation {
		return append(rules, truncatesWholeMembers(sentState(sent)), truncatesLongFirst(sentState(sent)))
	}
	return append(rules, forwardsTraceState(sentState(sent), v.state, v.orState...).at(stateLevel))
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

// value returns headers carrying one traceparent header of that value, built from the caller's
// ids (any of its fields replaced, or more fields added, to make it invalid).
func value(f func(c request.TraceParent) string) func(request.TraceParent) []header {
	return func(c request.TraceParent) []header { return []header{{"traceparent", f(c)}} }
}

// w3c names harness tests (contextVector.w3c).
func w3c(tests ...string) []string { return tests }

var (
	yes, no = true, false
	// members32 is a tracestate of 32 list-members, the most W3C allows.
	members32 = listMembers(32)
	members33 = listMembers(33)
	// key256 is a tracestate key of 256 characters, the longest W3C allows.
	key256 = strings.Repeat("z", 256)
)

// contextVectors are the TraceContext feature's rows: the traceparent's, then the tracestate's.
var contextVectors = append(slices.Clone(traceParentVectors), aboutState(traceStateVectors)...)

// aboutState marks rows as tracestate rows (contextVector.aboutState).
func aboutState(vs []contextVector) []contextVector {
	out := slices.Clone(vs)
	for i := range out {
		out[i].aboutState = true
	}
	return out
}

func listMembers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "m" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + "=v"
	}
	return out
}
