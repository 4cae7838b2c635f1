package request_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/framework/request"
)

const (
	tid = "0af7651916cd43dd8448eb211c80319c"
	pid = "b7ad6b7169203331"
)

func TestParseTraceParentAcceptsEveryValidValue(t *testing.T) {
	for _, tc := range []struct {
		v       string
		sampled bool
	}{
		{"00-" + tid + "-" + pid + "-01", true},
		{"00-" + tid + "-" + pid + "-00", false},
		{"00-" + tid + "-" + pid + "-09", true},  // unknown flag bits next to sampled
		{"00-" + tid + "-" + pid + "-fe", false}, // every bit but sampled
		{"cc-" + tid + "-" + pid + "-01", true},  // a future version
		{"cc-" + tid + "-" + pid + "-01-what-the-future-will-be-like", true},
	} {
		got, err := request.ParseTraceParent(tc.v)
		if err != nil || got.TraceID != tid || got.ParentID != pid || got.Sampled != tc.sampled {
			t.Errorf("ParseTraceParent(%q) = %+v, %v; want %s/%s sampled %t", tc.v, got, err, tid, pid, tc.sampled)
		}
	}
}

// The whole flags byte is kept: the random bit and the reserved bits, and String renders them
// with the sampled bit Sampled says.
func TestParseTraceParentKeepsTheWholeFlagsByte(t *testing.T) {
	for v, want := range map[string]struct {
		flags  byte
		random bool
	}{
		"00-" + tid + "-" + pid + "-00": {0x00, false},
		"00-" + tid + "-" + pid + "-02": {0x02, true},
		"00-" + tid + "-" + pid + "-03": {0x03, true},
		"00-" + tid + "-" + pid + "-09": {0x09, false},
		"00-" + tid + "-" + pid + "-fe": {0xfe, true},
	} {
		got, err := request.ParseTraceParent(v)
		if err != nil || got.Flags != want.flags || got.Random() != want.random || got.String() != v {
			t.Errorf(
				"ParseTraceParent(%q) = %+v (random %t, %s), %v; want flags %02x, random %t, rendered as sent",
				v,
				got,
				got.Random(),
				got,
				err,
				want.flags,
				want.random,
			)
		}
	}
	unsampled := request.TraceParent{TraceID: tid, ParentID: pid, Flags: 0x03}
	if got := unsampled.String(); got != "00-"+tid+"-"+pid+"-02" {
		t.Errorf("Sampled false with flags 03 renders %q, want the sampled bit cleared", got)
	}
}

func TestParseTraceParentNamesTheRuleBroken(t *testing.T) {
	for v, rule := range map[string]string{
		"":                                   "four fields",
		"00-abc-def-01":                      "trace-id must be 32 lower-case hex digits",
		"ff-" + tid + "-" + pid + "-01":      "version ff is forbidden",
		"0-" + tid + "-" + pid + "-01":       "version must be 2 lower-case hex digits",
		"00-" + tid + "-" + pid + "-01-more": "version 00 has exactly four fields",
		"00-" + strings.ToUpper(tid) + "-" + pid + "-01":     "trace-id must be 32 lower-case hex digits",
		"00-00000000000000000000000000000000-" + pid + "-01": "all-zero trace-id",
		"00-" + tid + "-0000000000000000-01":                 "all-zero parent-id",
		"00-" + tid + "-" + pid + "1-01":                     "parent-id must be 16 lower-case hex digits",
		"00-" + tid + "-" + pid + "-.0":                      "trace-flags must be 2 lower-case hex digits",
		"cc-" + tid + "-" + pid + "-01.future":               "trace-flags must be 2 lower-case hex digits",
	} {
		_, err := request.ParseTraceParent(v)
		if err == nil || !strings.Contains(err.Error(), rule) {
			t.Errorf("ParseTraceParent(%q) = %v; want an error naming %q", v, err, rule)
		}
	}
}
