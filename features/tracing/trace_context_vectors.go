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

// traceParentVectors are the rows on the traceparent header, each named after the rule it
// checks, with the W3C harness tests it covers.
var traceParentVectors = []contextVector{
	// A valid traceparent is continued.
	{
		id:        "tc-version-00-sampled-flag-continued",
		name:      "version 00 with the sampled flag is continued",
		headers:   sent("00", "01", ""),
		continues: true,
		sampled:   &yes,
		random:    &no,
		w3c:       w3c("test_traceparent_included_tracestate_missing"),
	},
	{
		id:        "tc-version-00-without-sampled-flag",
		name:      "version 00 without the sampled flag is continued unsampled",
		headers:   sent("00", "00", ""),
		continues: true,
		sampled:   &no,
		random:    &no,
		w3c:       w3c("test_traceparent_included_tracestate_missing"),
	},
	{
		id:        "tc-random-flag-kept-set",
		name:      "the random flag is kept set",
		headers:   sent("00", "02", ""),
		continues: true,
		sampled:   &no,
		random:    &yes,
		w3c:       w3c("test_propagates_random_flag"),
	},
	{
		id:        "tc-random-sampled-flags-kept-set",
		name:      "the random and sampled flags are kept set",
		headers:   sent("00", "03", ""),
		continues: true,
		sampled:   &yes,
		random:    &yes,
	},
	{
		id:        "tc-every-flags-bit-set",
		name:      "every trace-flags bit set keeps sampled and random and clears the reserved bits",
		headers:   sent("00", "ff", ""),
		continues: true,
		sampled:   &yes,
		random:    &yes,
	},
	{
		id:        "tc-unknown-flags-bits-ignored",
		name:      "unknown trace-flags bits are ignored and the sampled bit kept",
		headers:   sent("00", "09", ""),
		continues: true,
		sampled:   &yes,
	},
	{
		id:        "tc-future-version-parsed-like-00",
		name:      "a future version is parsed like version 00",
		level:     should,
		headers:   sent("cc", "01", ""),
		continues: true,
		sampled:   &yes,
		w3c:       w3c("test_traceparent_version_0xcc"),
	},
	{
		id:        "tc-future-version-extra-fields-continued",
		name:      "a future version with extra fields is continued",
		level:     should,
		headers:   sent("cc", "01", "-what-the-future-will-be-like"),
		continues: true,
		sampled:   &yes,
		w3c:       w3c("test_traceparent_version_0xcc"),
	},
	{
		id:        "tc-future-version-long-tail-continued",
		name:      "a future version with a long tail is continued",
		level:     should,
		headers:   sent("cc", "01", "-"+strings.Repeat("future-", 64)),
		continues: true,
		sampled:   &yes,
	},
	// No row varies the header name's case: HTTP's own parser folds it before any tracer sees it
	// (field names are case-insensitive, RFC 9110 section 5.1; Go's server canonicalizes them,
	// Envoy lowercases them), so such a row passed on every HTTP/1.1 gateway whatever its tracer
	// did; and HTTP/2 forbids upper case in a field name outright (RFC 9113 section 8.2.1).
	{
		id:        "tc-optional-white-space-around-traceparent",
		name:      "optional white space around the traceparent value is ignored",
		continues: true,
		sampled:   &yes,
		verbatim:  true,
		headers: raw(func(c request.TraceParent) []header {
			return []header{{"traceparent", " \t" + traceparent(c, "00", "01", "") + "\t "}}
		}),
		w3c: w3c("test_traceparent_ows_handling"),
	},
	// An invalid traceparent starts a new trace.
	{
		id:        "tc-no-trace-context-new-trace",
		name:      "no trace context starts a new trace",
		level:     should,
		headers:   raw(func(request.TraceParent) []header { return nil }),
		randomNew: true,
		w3c:       w3c("test_both_traceparent_and_tracestate_missing"),
	},
	{id: "tc-version-ff-invalid", name: "version ff is invalid", headers: sent("ff", "01", ""), w3c: w3c("test_traceparent_version_0xff")},
	{
		id:      "tc-version-00-extra-fields-invalid",
		name:    "version 00 with extra fields is invalid",
		headers: sent("00", "01", "-what-the-future-will-be-like"),
		w3c:     w3c("test_traceparent_version_0x00"),
	},
	{
		id:      "tc-version-00-followed-dot-invalid",
		name:    "version 00 followed by a dot is invalid",
		headers: sent("00", "01", "."),
		w3c:     w3c("test_traceparent_version_0x00"),
	},
	{
		id:      "tc-future-version-followed-dot-invalid",
		name:    "a future version followed by a dot is invalid",
		headers: sent("cc", "01", ".what-the-future-will-be-like"),
		w3c:     w3c("test_traceparent_version_0xcc"),
	},
	// A future version is parsed by the positions of version 00's fields: where they are wrong,
	// it is invalid.
	{
		id:   "tc-future-version-traceid-too-long",
		name: "a future version with a trace-id too long is invalid",
		headers: value(func(c request.TraceParent) string {
			return "cc-" + c.TraceID + "0-" + c.ParentID + "-01"
		}),
	},
	{
		id:   "tc-future-version-parentid-too-long",
		name: "a future version with a parent-id too long is invalid",
		headers: value(func(c request.TraceParent) string {
			return "cc-" + c.TraceID + "-" + c.ParentID + "0-01"
		}),
	},
	{id: "tc-future-version-flags-too-long", name: "a future version with trace-flags too long is invalid", headers: sent("cc", "011", "")},
	{
		id:      "tc-future-version-shorter-than-55",
		name:    "a future version shorter than 55 characters is invalid",
		level:   should,
		headers: sent("cc", "0", ""),
	},
	{
		id:      "tc-version-three-digits-invalid",
		name:    "a version of three digits is invalid",
		level:   should,
		headers: sent("000", "01", ""),
		w3c:     w3c("test_traceparent_version_too_long"),
	},
	{
		id:      "tc-version-four-digits-invalid",
		name:    "a version of four digits is invalid",
		level:   should,
		headers: sent("0000", "01", ""),
		w3c:     w3c("test_traceparent_version_too_long"),
	},
	{
		id:      "tc-version-one-digit-invalid",
		name:    "a version of one digit is invalid",
		level:   should,
		headers: sent("0", "01", ""),
		w3c:     w3c("test_traceparent_version_too_short"),
	},
	{
		id:      "tc-illegal-character-version-invalid",
		name:    "an illegal character in the version is invalid",
		level:   should,
		headers: sent(".0", "01", ""),
		w3c:     w3c("test_traceparent_version_illegal_characters"),
	},
	{
		id:      "tc-illegal-character-end-version-invalid",
		name:    "an illegal character at the end of the version is invalid",
		level:   should,
		headers: sent("0.", "01", ""),
		w3c:     w3c("test_traceparent_version_illegal_characters"),
	},
	{id: "tc-all-zero-traceid-invalid", name: "an all-zero trace-id is invalid", headers: value(func(c request.TraceParent) string {
		return "00-00000000000000000000000000000000-" + c.ParentID + "-01"
	}), w3c: w3c("test_traceparent_trace_id_all_zero")},
	{id: "tc-all-zero-parentid-invalid", name: "an all-zero parent-id is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + c.TraceID + "-0000000000000000-01"
	}), w3c: w3c("test_traceparent_parent_id_all_zero")},
	{id: "tc-upper-case-hex-invalid", name: "upper-case hex is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + strings.ToUpper(c.TraceID) + "-" + c.ParentID + "-01"
	}), w3c: w3c("test_traceparent_trace_id_illegal_characters")},
	{id: "tc-traceid-too-short-invalid", name: "a trace-id too short is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + c.TraceID[1:] + "-" + c.ParentID + "-01"
	}), w3c: w3c("test_traceparent_trace_id_too_short")},
	{
		id:   "tc-illegal-character-traceid-invalid",
		name: "an illegal character in the trace-id is invalid",
		headers: value(func(c request.TraceParent) string {
			return "00-." + c.TraceID[1:] + "-" + c.ParentID + "-01"
		}),
		w3c: w3c("test_traceparent_trace_id_illegal_characters"),
	},
	{
		id:   "tc-illegal-character-end-traceid-invalid",
		name: "an illegal character at the end of the trace-id is invalid",
		headers: value(func(c request.TraceParent) string {
			return "00-" + c.TraceID[:31] + ".-" + c.ParentID + "-01"
		}),
		w3c: w3c("test_traceparent_trace_id_illegal_characters"),
	},
	{id: "tc-traceid-too-long-invalid", name: "a trace-id too long is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + c.TraceID + "0-" + c.ParentID + "-01"
	}), w3c: w3c("test_traceparent_trace_id_too_long")},
	{id: "tc-parentid-too-short-invalid", name: "a parent-id too short is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + c.TraceID + "-" + c.ParentID[1:] + "-01"
	}), w3c: w3c("test_traceparent_parent_id_too_short")},
	{id: "tc-parentid-too-long-invalid", name: "a parent-id too long is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + c.TraceID + "-" + c.ParentID + "0-01"
	}), w3c: w3c("test_traceparent_parent_id_too_long")},
	{
		id:   "tc-illegal-character-parentid-invalid",
		name: "an illegal character in the parent-id is invalid",
		headers: value(func(c request.TraceParent) string {
			return "00-" + c.TraceID + "-." + c.ParentID[1:] + "-01"
		}),
		w3c: w3c("test_traceparent_parent_id_illegal_characters"),
	},
	{
		id:   "tc-illegal-character-end-parentid-invalid",
		name: "an illegal character at the end of the parent-id is invalid",
		headers: value(func(c request.TraceParent) string {
			return "00-" + c.TraceID + "-" + c.ParentID[:15] + ".-01"
		}),
		w3c: w3c("test_traceparent_parent_id_illegal_characters"),
	},
	{id: "tc-illegal-characters-flags-invalid", name: "illegal characters in the trace-flags are invalid", headers: sent("00", ".0", ""),
		w3c: w3c("test_traceparent_trace_flags_illegal_characters")},
	{
		id:      "tc-illegal-character-end-flags-invalid",
		name:    "an illegal character at the end of the trace-flags is invalid",
		headers: sent("00", "0.", ""),
		w3c:     w3c("test_traceparent_trace_flags_illegal_characters"),
	},
	{
		id:      "tc-flags-too-long-invalid",
		name:    "trace-flags too long are invalid",
		headers: sent("00", "001", ""),
		w3c:     w3c("test_traceparent_trace_flags_too_long"),
	},
	{
		id:      "tc-flags-too-short-invalid",
		name:    "trace-flags too short are invalid",
		headers: sent("00", "1", ""),
		w3c:     w3c("test_traceparent_trace_flags_too_short"),
	},
	{id: "tc-missing-flags-field-invalid", name: "a missing trace-flags field is invalid", headers: value(func(c request.TraceParent) string {
		return "00-" + c.TraceID + "-" + c.ParentID
	})},
	// Neither header's trace is continued (startsNewTrace reads every traceparent sent).
	{
		id:    "tc-two-traceparents-invalid",
		name:  "two traceparent headers are invalid",
		level: harness,
		headers: raw(func(c request.TraceParent) []header {
			other := request.NewTraceParent(true)
			return []header{{"traceparent", traceparent(c, "00", "01", "")}, {"traceparent", traceparent(other, "00", "01", "")}}
		}),
		w3c: w3c("test_traceparent_duplicated"),
	},
	{
		id:    "tc-misspelt-header-name",
		name:  "a misspelt header name is not a traceparent",
		level: harness,
		headers: raw(func(c request.TraceParent) []header {
			return []header{{"trace-parent", traceparent(c, "00", "01", "")}, {"trace.parent", traceparent(c, "00", "01", "")}}
		}),
		w3c: w3c("test_traceparent_header_name"),
	},
}
