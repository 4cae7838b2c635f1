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
}

// NewTraceParent returns a traceparent with fresh random ids. Every spec request gets its own,
// so spans can be looked up by trace id and specs stay isolated under ginkgo -p.
func NewTraceParent(sampled bool) TraceParent {
	return TraceParent{TraceID: randomHex(16), ParentID: randomHex(8), Sampled: sampled}
}

// String renders the header value.
func (t TraceParent) String() string {
	flags := "00"
	if t.Sampled {
		flags = "01"
	}
	return fmt.Sprintf("00-%s-%s-%s", t.TraceID, t.ParentID, flags)
}

// ParseTraceParent parses a traceparent header value.
func ParseTraceParent(v string) (TraceParent, error) {
	parts := strings.Split(strings.TrimSpace(v), "-")
	if len(parts) != 4 || parts[0] != "00" || !isHex(parts[1], 32) || !isHex(parts[2], 16) || !isHex(parts[3], 2) {
		return TraceParent{}, fmt.Errorf("traceparent %q is not of the form 00-<32 hex>-<16 hex>-<2 hex>", v)
	}
	flags, _ := hex.DecodeString(parts[3])
	return TraceParent{TraceID: parts[1], ParentID: parts[2], Sampled: flags[0]&1 == 1}, nil
}

func isHex(s string, n int) bool {
	if len(s) != n || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.Trim(s, "0") != ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
