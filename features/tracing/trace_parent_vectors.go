package tracing

import (
	"strings"

	"github.com/tracegate/tracegate/framework/request"
)

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
