package request

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// TraceParent is a W3C trace context traceparent header (version 00).
type TraceParent struct {
	TraceID  string // 32 lower-case hex digits
	ParentID string // 16 lower-case hex digits: the span id of the caller
	Sampled  bool
	// Flags is the whole trace-flags byte as ParseTraceParent read it: the random bit
	// (FlagRandom) and the reserved bits too. String renders it with its sampled bit from Sampled.
	Flags byte
}

// The trace-flags bits W3C Trace Context defines (Level 2): the others are reserved and go out
// as zero.
const (
	FlagSampled byte = 0x01
	FlagRandom  byte = 0x02
)

// Random reports whether the random trace-id flag is set.
func (t TraceParent) Random() bool { return t.Flags&FlagRandom != 0 }

// NewTraceParent returns a traceparent with fresh random ids. Every spec request gets its own,
// so spans can be looked up by trace id and specs stay isolated under ginkgo -p.
func NewTraceParent(sampled bool) TraceParent {
	tp := TraceParent{TraceID: randomHex(16), ParentID: randomHex(8), Sampled: sampled}
	if sampled {
		tp.Flags = FlagSampled
	}
	return tp
}

// String renders the header value.
func (t TraceParent) String() string {
	flags := t.Flags &^ FlagSampled
	if t.Sampled {
		flags |= FlagSampled
	}
	return fmt.Sprintf("00-%s-%s-%02x", t.TraceID, t.ParentID, flags)
}

// ParseTraceParent parses a traceparent header value by the W3C Trace Context rules: every
// valid value a gateway may forward is accepted (any version but ff, any flags, a future
// version's extra fields), and an invalid one is rejected with the rule it breaks. The result
// keeps the ids and the whole flags byte; String renders it as version 00.
func ParseTraceParent(v string) (TraceParent, error) {
	fail := func(rule string) (TraceParent, error) {
		return TraceParent{}, fmt.Errorf("traceparent %q is invalid: %s", v, rule)
	}
	parts := strings.Split(v, "-")
	if len(parts) < 4 {
		return fail("it needs four fields, version-traceid-parentid-flags, separated by '-'")
	}
	version, traceID, parentID, flags := parts[0], parts[1], parts[2], parts[3]
	switch {
	case !isLowerHex(version, 2):
		return fail("the version must be 2 lower-case hex digits")
	case version == "ff":
		return fail("version ff is forbidden")
	case version == "00" && len(parts) != 4:
		return fail("version 00 has exactly four fields")
	case !isLowerHex(traceID, 32):
		return fail("the trace-id must be 32 lower-case hex digits")
	case strings.Trim(traceID, "0") == "":
		return fail("an all-zero trace-id is invalid")
	case !isLowerHex(parentID, 16):
		return fail("the parent-id must be 16 lower-case hex digits")
	case strings.Trim(parentID, "0") == "":
		return fail("an all-zero parent-id is invalid")
	case !isLowerHex(flags, 2):
		return fail("the trace-flags must be 2 lower-case hex digits")
	}
	f, _ := hex.DecodeString(flags)
	return TraceParent{TraceID: traceID, ParentID: parentID, Sampled: f[0]&FlagSampled != 0, Flags: f[0]}, nil
}

// isLowerHex reports whether s is n lower-case hex digits.
func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
