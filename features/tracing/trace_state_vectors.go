package tracing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/request"
)

var (
	// keyChars are every character a tracestate key may hold but the at sign, and keyVendorChars
	// those with an at sign and every character again (test_tracestate_all_allowed_characters).
	keyChars       = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
	keyVendorChars = keyChars + "@a-z0-9_-*/"
	// valueChars are every printable ASCII character but comma and equals sign: what a value
	// may hold, a leading space included.
	valueChars = printable(0x20, 0x2b) + printable(0x2d, 0x3c) + printable(0x3e, 0x7e)
)

// printable returns the characters from first to last.
func printable(first, last byte) string {
	var b strings.Builder
	for c := first; c <= last; c++ {
		b.WriteByte(c)
	}
	return b.String()
}

// lines returns headers carrying a valid traceparent and the given header lines, by name.
func lines(hs ...header) func(request.TraceParent) []header {
	return func(c request.TraceParent) []header {
		return append([]header{{"traceparent", traceparent(c, "00", "01", "")}}, hs...)
	}
}

// traceStateVectors are the rows on the tracestate header: it goes with a valid traceparent,
// unchanged, or not at all.
var traceStateVectors = []contextVector{
	{
		id:        "ts-member-forwarded-unchanged",
		name:      "a tracestate of one member is forwarded unchanged",
		headers:   sent("00", "01", "", "foo=1"),
		continues: true,
		state:     []string{"foo=1"},
		w3c:       w3c("test_tracestate_included_traceparent_included"),
	},
	{
		id:        "ts-32-members-forwarded-whole",
		name:      "a tracestate of 32 members is forwarded whole",
		headers:   sent("00", "01", "", strings.Join(members32, ",")),
		continues: true,
		state:     members32,
		w3c:       w3c("test_tracestate_member_count_limit"),
	},
	{
		id:        "ts-headers-combined-order",
		name:      "tracestate headers are combined in order",
		headers:   sent("00", "01", "", "foo=1,bar=2", "rojo=1,congo=2", "baz=3"),
		continues: true,
		state:     []string{"foo=1", "bar=2", "rojo=1", "congo=2", "baz=3"},
		w3c:       w3c("test_tracestate_multiple_headers_different_keys"),
	},
	{
		id:        "ts-white-space-around-members-allowed",
		name:      "whitespace around tracestate members is allowed",
		headers:   sent("00", "01", "", "foo=1 \t , \t bar=2"),
		continues: true,
		state:     []string{"foo=1", "bar=2"},
		w3c:       w3c("test_tracestate_ows_handling"),
	},
	{
		id:        "ts-white-space-around-value-ignored",
		name:      "white space around the whole tracestate value is ignored",
		headers:   sent("00", "01", "", "\t foo=1 \t"),
		continues: true,
		state:     []string{"foo=1"},
		verbatim:  true,
		w3c:       w3c("test_tracestate_ows_handling"),
	},
	{
		id:        "ts-every-allowed-character",
		name:      "every character a tracestate key and value may hold is forwarded",
		continues: true,
		w3c:       w3c("test_tracestate_all_allowed_characters"),
		headers:   sent("00", "01", "", keyChars+"="+valueChars+","+keyVendorChars+"="+valueChars),
		state:     []string{keyChars + "=" + valueChars, keyVendorChars + "=" + valueChars},
	},
	{
		id:        "ts-512-characters-forwarded-whole",
		name:      "a tracestate of 512 characters is forwarded whole",
		level:     should,
		headers:   sent("00", "01", "", strings.Join(state512, ",")),
		continues: true,
		state:     state512,
		spanState: true,
	},
	{
		id:         "ts-over-512-characters-truncated",
		name:       "a tracestate over 512 characters loses whole members if any, long ones first, then from the right",
		continues:  true,
		headers:    sent("00", "01", "", strings.Join(stateOver512, ",")),
		truncation: true,
		spanState:  true,
	},
	{
		id:        "ts-empty-list-member-allowed",
		name:      "an empty tracestate list member is allowed",
		headers:   sent("00", "01", "", "foo=1,,bar=2"),
		continues: true,
		state:     []string{"foo=1", "bar=2"},
	},
	{
		id:        "ts-white-space-only-member-allowed",
		name:      "a tracestate list member of white space only is allowed",
		headers:   sent("00", "01", "", "foo=1, \t ,bar=2"),
		continues: true,
		state:     []string{"foo=1", "bar=2"},
	},
	{
		id:        "ts-empty-accepted-nothing-forwarded",
		name:      "an empty tracestate is accepted and nothing forwarded",
		headers:   sent("00", "01", "", ""),
		continues: true,
		w3c:       w3c("test_tracestate_empty_header"),
	},
	{
		id:        "ts-empty-header-after-member",
		name:      "an empty tracestate header after a member is ignored",
		headers:   sent("00", "01", "", "foo=1", ""),
		continues: true,
		state:     []string{"foo=1"},
		w3c:       w3c("test_tracestate_empty_header"),
	},
	{
		id:        "ts-empty-header-before-member",
		name:      "an empty tracestate header before a member is ignored",
		headers:   sent("00", "01", "", "", "foo=1"),
		continues: true,
		state:     []string{"foo=1"},
		w3c:       w3c("test_tracestate_empty_header"),
	},
	{
		id:        "ts-key-256-characters-allowed",
		name:      "a tracestate key of 256 characters is allowed",
		headers:   sent("00", "01", "", "foo=1,"+key256+"=1"),
		continues: true,
		state:     []string{"foo=1", key256 + "=1"},
		w3c:       w3c("test_tracestate_key_length_limit"),
	},
	{
		id:        "ts-keys-at-sign-within-256",
		name:      "tracestate keys with an at sign within 256 characters are allowed",
		level:     harness,
		continues: true,
		w3c:       w3c("test_tracestate_key_length_limit"),
		headers:   sent("00", "01", "", "foo=1,"+atKeys[0]+"=1,"+atKeys[1]+"=1,"+atKeys[2]+"=1"),
		state:     []string{"foo=1", atKeys[0] + "=1", atKeys[1] + "=1", atKeys[2] + "=1"},
	},
	{
		id:        "ts-keys-at-signs-after-first",
		name:      "tracestate keys with at signs after their first character are allowed",
		level:     harness,
		continues: true,
		w3c:       w3c("test_tracestate_key_illegal_vendor_format"),
		headers:   sent("00", "01", "", "foo@=1,bar=2", "foo@@bar=1,foo@bar@baz=1"),
		state:     []string{"foo@=1", "bar=2", "foo@@bar=1", "foo@bar@baz=1"},
	},
	{
		id:        "ts-key-257-characters-discarded",
		name:      "a tracestate key of 257 characters is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "foo=1,"+key256+"z=1"),
		continues: true,
		w3c:       w3c("test_tracestate_key_length_limit"),
	},
	{
		id:        "ts-key-starting-at-sign-discarded",
		name:      "a tracestate key starting with an at sign is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "@foo=1,bar=2"),
		continues: true,
		w3c:       w3c("test_tracestate_key_illegal_vendor_format"),
	},
	{
		id:        "ts-value-containing-equals-discarded",
		name:      "a tracestate value containing = is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "foo=bar=baz"),
		continues: true,
		w3c:       w3c("test_tracestate_value_illegal_characters"),
	},
	{
		id:        "ts-empty-value-discarded",
		name:      "an empty tracestate value is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "foo=,bar=3"),
		continues: true,
		w3c:       w3c("test_tracestate_value_illegal_characters"),
	},
	{
		id:        "ts-33-members-discarded",
		name:      "a tracestate of 33 members is discarded",
		level:     harness,
		headers:   sent("00", "01", "", strings.Join(members33, ",")),
		continues: true,
		w3c:       w3c("test_tracestate_member_count_limit"),
	},
	{
		id:        "ts-upper-case-key-discarded",
		name:      "a tracestate with an upper-case key is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "FOO=1"),
		continues: true,
		w3c:       w3c("test_tracestate_key_illegal_characters"),
	},
	{
		id:        "ts-key-space-before-equals",
		name:      "a tracestate key with a space before the equals sign is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "foo =1"),
		continues: true,
		w3c:       w3c("test_tracestate_key_illegal_characters"),
	},
	{
		id:        "ts-key-dot-discarded",
		name:      "a tracestate key with a dot is discarded",
		level:     harness,
		headers:   sent("00", "01", "", "foo.bar=1"),
		continues: true,
		w3c:       w3c("test_tracestate_key_illegal_characters"),
	},
	// W3C lets a vendor discard duplicate keys (or keep them); the test suite's strict level
	// wants the tracestate inherited with foo=1 or foo=2 in it, not discarded.
	{
		id:        "ts-duplicated-key-kept",
		name:      "a tracestate with a duplicated key keeps one or both of its members",
		level:     harness,
		headers:   sent("00", "01", "", "foo=1,foo=2"),
		continues: true,
		state:     []string{"foo=1", "foo=2"},
		orState:   [][]string{{"foo=1"}, {"foo=2"}},
		w3c:       w3c("test_tracestate_duplicated_keys"),
	},
	{
		id:        "ts-repeated-member-kept",
		name:      "a tracestate with a repeated member keeps it",
		level:     harness,
		headers:   sent("00", "01", "", "foo=1,foo=1"),
		continues: true,
		state:     []string{"foo=1", "foo=1"},
		orState:   [][]string{{"foo=1"}},
		w3c:       w3c("test_tracestate_duplicated_keys"),
	},
	{
		id:        "ts-member-repeated-two-headers",
		name:      "a member repeated on two tracestate headers is kept",
		level:     harness,
		headers:   sent("00", "01", "", "foo=1", "foo=1"),
		continues: true,
		state:     []string{"foo=1", "foo=1"},
		orState:   [][]string{{"foo=1"}},
		w3c:       w3c("test_tracestate_duplicated_keys"),
	},
	{
		id:        "ts-key-duplicated-two-headers",
		name:      "a key duplicated on two tracestate headers keeps one or both of its members",
		level:     harness,
		headers:   sent("00", "01", "", "foo=1", "foo=2"),
		continues: true,
		state:     []string{"foo=1", "foo=2"},
		orState:   [][]string{{"foo=1"}, {"foo=2"}},
		w3c:       w3c("test_tracestate_duplicated_keys"),
	},
	{
		id:    "ts-without-valid-traceparent-dropped",
		name:  "a tracestate without a valid traceparent is not forwarded",
		level: should,
		headers: raw(func(c request.TraceParent) []header {
			return []header{{"traceparent", "00-00000000000000000000000000000000-" + c.ParentID + "-01"}, {"tracestate", "foo=1"}}
		}),
	},
	{
		id:   "ts-no-traceparent-dropped",
		name: "a tracestate with no traceparent is not forwarded",
		headers: raw(func(request.TraceParent) []header {
			return []header{{"tracestate", "foo=1,bar=2"}}
		}),
		w3c: w3c("test_tracestate_included_traceparent_missing"),
	},
	{
		id:        "ts-misspelt-header-name",
		name:      "a misspelt header name is not a tracestate",
		level:     harness,
		headers:   lines(header{"trace-state", "foo=1"}, header{"trace.state", "foo=1"}),
		continues: true,
		w3c:       w3c("test_tracestate_header_name"),
	},
}

// atKeys are keys of 256, 245 and 17 characters with an at sign, as the harness sends
// (test_tracestate_key_length_limit); the row sends them on one line, where the harness sends a
// line each: combining lines is a row of its own.
var atKeys = []string{
	strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14),
	strings.Repeat("t", 242) + "@v",
	"t@" + strings.Repeat("v", 15),
}

var (
	// state512 is a tracestate of 512 characters, commas included: 8 members of 63 characters
	// and one more in the first, the length every vendor should pass on.
	state512 = sized(8, 63, 1)
	// stateOver512 is a tracestate of 20 members of 30 characters and one of 200 (its fifth):
	// 820 characters, which a vendor may truncate.
	stateOver512 = slices.Insert(sized(20, 30, 0), 4, "long="+strings.Repeat("l", 195))
)

// sized returns n members of size characters each, keys k00, k01, ..., the first longer by extra.
func sized(n, size, extra int) []string {
	out := make([]string, n)
	for i := range out {
		k := fmt.Sprintf("k%02d=", i)
		out[i] = k + strings.Repeat("v", size-len(k))
	}
	out[0] += strings.Repeat("v", extra)
	return out
}
